import SwiftKerasCore

/// How often the integer label is among the `k` largest predictions, as
/// `keras.metrics.SparseTopKCategoricalAccuracy` (identifier
/// `"sparse_top_k_categorical_accuracy"`).
public final class SparseTopKCategoricalAccuracy: TopKMatchMetric, Metric {
  /// Creates the metric.
  public init(k: Int = 5, name: String = "sparse_top_k_categorical_accuracy") {
    super.init(k: k, metricName: name, sparseLabels: true)
  }
}
