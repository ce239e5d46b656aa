import SwiftKerasCore

/// How often the argmax of `yPred` equals the integer label, as
/// `keras.metrics.SparseCategoricalAccuracy` (identifier `"sparse_categorical_accuracy"`).
///
/// Labels have `yPred`'s shape without its class axis, optionally with a trailing 1.
public final class SparseCategoricalAccuracy: MatchMeanMetric, Metric {
  /// Higher is better.
  public var direction: MetricDirection { .up }

  /// Creates the metric.
  public init(name: String = "sparse_categorical_accuracy") { super.init(metricName: name) }

  /// Accumulates the batch's matches in one pass over the buffers.
  public func update(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor?) throws {
    let rows = try AccuracyKernels.sparseLabelRows(yTrue: yTrue, yPred: yPred, metric: name)
    let classes = yPred.shape[yPred.rank - 1]
    let (t, p) = (yTrue.detached, yPred.detached)
    try t.withUnsafeBufferPointer { labels in
      try p.withUnsafeBufferPointer { pred in
        try accumulate(
          count: rows, shape: Array(yPred.shape.dropLast()), sampleWeight: sampleWeight
        ) { out in
          guard let predBase = pred.baseAddress else { return }
          for r in 0..<rows {
            let best = AccuracyKernels.argmax(predBase + r * classes, classes)
            out[r] = Float(best) == labels[r] ? 1 : 0
          }
        }
      }
    }
  }
}
