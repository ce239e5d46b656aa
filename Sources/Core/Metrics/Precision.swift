/// The fraction of positive predictions that are correct, `tp / (tp + fp)`, at one or more
/// thresholds, as `keras.metrics.Precision` (identifier `"precision"`).
public final class Precision: ThresholdRatioMetric {
  /// Creates the metric.
  ///
  /// - Throws: `SwiftKerasError.invalidArgument` for thresholds outside `[0, 1]`.
  public override init(thresholds: [Float] = [0.5], classId: Int? = nil, name: String = "precision") throws {
    try super.init(thresholds: thresholds, classId: classId, name: name)
  }

  override var errorCounts: [Double] { counts.falsePositives }
}
