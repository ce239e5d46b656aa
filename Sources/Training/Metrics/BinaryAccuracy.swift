import SwiftKerasCore

/// How often `yPred > threshold` equals the 0/1 label, as `keras.metrics.BinaryAccuracy`
/// (identifier `"binary_accuracy"`).
public final class BinaryAccuracy: MatchMeanMetric, Metric {
  /// Higher is better.
  public var direction: MetricDirection { .up }

  /// Predictions above this count as 1.
  public var threshold: Float

  /// Creates the metric.
  public init(name: String = "binary_accuracy", threshold: Float = 0.5) {
    self.threshold = threshold
    super.init(metricName: name)
  }

  /// Accumulates the batch's matches in one pass over the buffers.
  public func update(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor?) throws {
    let (ts, ps) = LossReducer.alignedShapes(yTrue.shape, yPred.shape)
    guard let shape = Broadcasting.shape(ts, ps) else {
      throw SwiftKerasError(
        .shapeMismatch,
        "\(name): y_true of shape \(yTrue.shape) does not match y_pred of shape \(yPred.shape)")
    }
    var t = yTrue.detached.reshaped(to: ts)
    var p = yPred.detached.reshaped(to: ps)
    if t.shape != shape { t = t.broadcast(toShape: shape) }
    if p.shape != shape { p = p.broadcast(toShape: shape) }
    let count = t.count
    let threshold = threshold
    try t.withUnsafeBufferPointer { labels in
      try p.withUnsafeBufferPointer { pred in
        try accumulate(count: count, shape: shape, sampleWeight: sampleWeight) { out in
          for i in 0..<count { out[i] = (pred[i] > threshold ? 1 : 0) == labels[i] ? 1 : 0 }
        }
      }
    }
  }

  /// `{"name", "dtype", "threshold"}`.
  public func getConfig() -> ConfigValue {
    ["name": .string(name), "dtype": "float32", "threshold": .double(Double(threshold))]
  }
}
