import SwiftKerasCore

/// The part ``TopKCategoricalAccuracy`` and ``SparseTopKCategoricalAccuracy`` share: a row
/// matches when its class is among the `k` largest predictions.
public class TopKMatchMetric: ClassMatchMetric {
  /// How many of the largest predictions count.
  public var k: Int

  init(k: Int, metricName: String, sparseLabels: Bool) {
    self.k = k
    super.init(metricName: metricName, sparseLabels: sparseLabels)
  }

  override func matches(target: Float, row: UnsafePointer<Float>, classes: Int) -> Bool {
    AccuracyKernels.inTopK(row, classes, target: target, k: k)
  }

  /// `{"name", "dtype", "k"}`.
  public func getConfig() -> ConfigValue {
    ["name": .string(name), "dtype": "float32", "k": .int(k)]
  }
}
