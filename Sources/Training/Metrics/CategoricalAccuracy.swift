import SwiftKerasCore

/// How often the argmax of `yPred` equals the argmax of the one-hot `yTrue`, as
/// `keras.metrics.CategoricalAccuracy` (identifier `"categorical_accuracy"`).
public final class CategoricalAccuracy: ClassMatchMetric, Metric {
  /// Creates the metric.
  public init(name: String = "categorical_accuracy") {
    super.init(metricName: name, sparseLabels: false)
  }
}
