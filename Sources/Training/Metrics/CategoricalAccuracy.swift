import SwiftKerasCore

/// How often the argmax of `yPred` equals the argmax of the one-hot `yTrue`, as
/// `keras.metrics.CategoricalAccuracy` (identifier `"categorical_accuracy"`).
public final class CategoricalAccuracy: MatchMeanMetric, Metric {
  /// Higher is better.
  public var direction: MetricDirection { .up }

  /// Creates the metric.
  public init(name: String = "categorical_accuracy") { super.init(metricName: name) }

  /// Accumulates the batch's matches in one pass over the buffers.
  public func update(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor?) throws {
    try AccuracyKernels.requireSameShape(yTrue: yTrue, yPred: yPred, metric: name)
    let classes = yPred.shape[yPred.rank - 1]
    let rows = yPred.count / classes
    let (t, p) = (yTrue.detached, yPred.detached)
    try t.withUnsafeBufferPointer { labels in
      try p.withUnsafeBufferPointer { pred in
        try accumulate(
          count: rows, shape: Array(yPred.shape.dropLast()), sampleWeight: sampleWeight
        ) { out in
          guard let predBase = pred.baseAddress, let labelBase = labels.baseAddress else { return }
          for r in 0..<rows {
            let a = AccuracyKernels.argmax(labelBase + r * classes, classes)
            let b = AccuracyKernels.argmax(predBase + r * classes, classes)
            out[r] = a == b ? 1 : 0
          }
        }
      }
    }
  }
}
