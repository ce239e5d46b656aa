import SwiftKerasCore

/// The fraction of positives that are predicted positive, `tp / (tp + fn)`, at one or more
/// thresholds, as `keras.metrics.Recall` (identifier `"recall"`).
public final class Recall: ThresholdRatioMetric {
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
    thresholds: [Float]? = nil, topK: Int? = nil, classId: Int? = nil, name: String = "recall"
  ) throws {
    try super.init(thresholds: thresholds, topK: topK, classId: classId, name: name)
  }

  override var errorCounts: [Double] { counts.falseNegatives }
}
