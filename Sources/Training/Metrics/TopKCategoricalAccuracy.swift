import SwiftKerasCore

/// How often the one-hot label's class is among the `k` largest predictions, as
/// `keras.metrics.TopKCategoricalAccuracy` (identifier `"top_k_categorical_accuracy"`).
public final class TopKCategoricalAccuracy: MatchMeanMetric, Metric {
  /// Higher is better.
  public var direction: MetricDirection { .up }

  /// How many of the largest predictions count.
  public var k: Int

  /// Creates the metric.
  public init(k: Int = 5, name: String = "top_k_categorical_accuracy") {
    self.k = k
    super.init(metricName: name)
  }

  /// Accumulates the batch's matches.
  public func update(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor?) throws {
    try AccuracyKernels.requireSameShape(yTrue: yTrue, yPred: yPred, metric: name)
    let classes = yPred.shape[yPred.rank - 1]
    let rows = yPred.count / classes
    let (t, p, k) = (yTrue.detached, yPred.detached, k)
    try t.withUnsafeBufferPointer { labels in
      try p.withUnsafeBufferPointer { pred in
        try accumulate(
          count: rows, shape: Array(yPred.shape.dropLast()), sampleWeight: sampleWeight
        ) { out in
          guard let predBase = pred.baseAddress, let labelBase = labels.baseAddress else { return }
          for r in 0..<rows {
            let target = AccuracyKernels.argmax(labelBase + r * classes, classes)
            let hit = AccuracyKernels.inTopK(
              predBase + r * classes, classes, target: Float(target), k: k)
            out[r] = hit ? 1 : 0
          }
        }
      }
    }
  }

  /// `{"name", "dtype", "k"}`.
  public func getConfig() -> ConfigValue {
    ["name": .string(name), "dtype": "float32", "k": .int(k)]
  }
}
