import SwiftKerasCore

/// The fraction of positive predictions that are correct, `tp / (tp + fp)`, at one or more
/// thresholds, as `keras.metrics.Precision` (identifier `"precision"`).
public final class Precision: ThresholdRatioMetric {
  /// Creates the metric with Keras's arguments.
  ///
  /// - Parameters:
  ///   - thresholds: predictions strictly above count as positive; 0.5 by default, or
  ///     every one of the `topK` largest when `topK` is set.
  ///   - topK: score only the `topK` largest predictions of each row (multi-class).
  ///   - classId: score only this column of the last axis.
  /// - Throws: `SwiftKerasError.invalidArgument` for thresholds outside `[0, 1]` or a
  ///   `topK` below 1.
  public override init(
    thresholds: [Float]? = nil, topK: Int? = nil, classId: Int? = nil, name: String = "precision"
  ) throws {
    try super.init(thresholds: thresholds, topK: topK, classId: classId, name: name)
  }

  override var errorCounts: [Double] { counts.falsePositives }
}
