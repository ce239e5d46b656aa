import SwiftKerasCore

/// The fraction of positive predictions that are correct, `tp / (tp + fp)`, at one or more
/// thresholds, as `keras.metrics.Precision` (identifier `"precision"`).
public final class Precision: ThresholdRatioMetric {
  override class var defaultName: String { "precision" }
  override var errorCounts: [Double] { counts.falsePositives }
}
