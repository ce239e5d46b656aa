import SwiftKerasCore

/// How often the argmax of `yPred` equals the integer label, as
/// `keras.metrics.SparseCategoricalAccuracy` (identifier `"sparse_categorical_accuracy"`).
///
/// Labels have `yPred`'s shape without its class axis, optionally with a trailing 1.
public final class SparseCategoricalAccuracy: ClassMatchMetric, Metric {
  /// Creates the metric.
  public init(name: String = "sparse_categorical_accuracy") {
    super.init(metricName: name, sparseLabels: true)
  }
}
