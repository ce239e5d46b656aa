/// The fraction of positives that are predicted positive, `tp / (tp + fn)`, at one or more
/// thresholds, as `keras.metrics.Recall` (identifier `"recall"`).
public final class Recall: ThresholdRatioMetric {
  /// Creates the metric.
  ///
  /// - Throws: `SwiftKerasError.invalidArgument` for thresholds outside `[0, 1]`.
  public override init(thresholds: [Float] = [0.5], classId: Int? = nil, name: String = "recall") throws {
    try super.init(thresholds: thresholds, classId: classId, name: name)
  }

  override var errorCounts: [Double] { counts.falseNegatives }
}
