/// The shared machinery of ``Precision`` and ``Recall``: confusion counts at one or more
/// thresholds, reduced to `tp / (tp + errors)` where the errors are false positives or
/// false negatives.
public class ThresholdRatioMetric: Metric {
  /// The name the metric is logged under.
  public var name: String
  /// Predictions strictly above a threshold count as positive.
  public let thresholds: [Float]
  /// When set, only this column of the last axis is scored.
  public let classId: Int?
  var counts: ConfusionCounts

  init(thresholds: [Float], classId: Int?, name: String) throws {
    try validateThresholds(thresholds, metric: name)
    self.thresholds = thresholds
    self.classId = classId
    self.name = name
    counts = ConfusionCounts(thresholds: thresholds.count)
  }

  /// The counts set against true positives: false positives (precision) or false
  /// negatives (recall).
  var errorCounts: [Double] { [] }

  /// Accumulates the batch's confusion counts.
  public func update(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor?) throws {
    let inputs = try ConfusionInputs(
      yTrue: yTrue, yPred: yPred, sampleWeight: sampleWeight, classId: classId, metric: name)
    counts.add(inputs, thresholds: thresholds)
  }

  /// The value at the first threshold.
  public func result() -> Float { resultValues()[0] }

  /// The value at each threshold.
  public func resultValues() -> [Float] {
    zip(counts.truePositives, errorCounts).map { Float(ConfusionCounts.ratio($0, $0 + $1)) }
  }

  /// Forgets everything accumulated.
  public func reset() { counts.reset() }

  /// `{"name", "dtype", "thresholds", "top_k", "class_id"}`.
  public func getConfig() -> ConfigValue {
    [
      "name": .string(name), "dtype": "float32",
      "thresholds": thresholds == [0.5] ? .null : .array(thresholds.map { .double(Double($0)) }),
      "top_k": .null, "class_id": classId.map { .int($0) } ?? .null,
    ]
  }
}
