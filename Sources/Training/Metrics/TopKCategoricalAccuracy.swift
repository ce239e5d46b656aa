import SwiftKerasCore

/// How often the one-hot label's class is among the `k` largest predictions, as
/// `keras.metrics.TopKCategoricalAccuracy` (identifier `"top_k_categorical_accuracy"`).
public final class TopKCategoricalAccuracy: TopKMatchMetric, Metric {
  /// Creates the metric.
  public init(k: Int = 5, name: String = "top_k_categorical_accuracy") {
    super.init(k: k, metricName: name, sparseLabels: false)
  }
}
