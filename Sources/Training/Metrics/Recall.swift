import SwiftKerasCore

/// The fraction of positives that are predicted positive, `tp / (tp + fn)`, at one or more
/// thresholds, as `keras.metrics.Recall` (identifier `"recall"`).
public final class Recall: ThresholdRatioMetric {
  override class var defaultName: String { "recall" }
  override var errorCounts: [Double] { counts.falseNegatives }
}
