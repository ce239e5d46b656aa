/// The fraction of positives that are predicted positive, `tp / (tp + fn)`, at one or more
/// thresholds, as `keras.metrics.Recall` (identifier `"recall"`).
public final class Recall: Metric {
  /// The name the metric is logged under.
  public var name: String
  /// Predictions strictly above a threshold count as positive.
  public let thresholds: [Float]
  /// When set, only this column of the last axis is scored.
  public let classId: Int?
  var counts: ConfusionCounts

  /// Creates the metric.
  ///
  /// - Throws: `SwiftKerasError.invalidArgument` for thresholds outside `[0, 1]`.
  public init(thresholds: [Float] = [0.5], classId: Int? = nil, name: String = "recall") throws {
    try validateThresholds(thresholds, metric: name)
    self.thresholds = thresholds
    self.classId = classId
    self.name = name
    counts = ConfusionCounts(thresholds: thresholds.count)
  }

  /// Accumulates the batch's true positives and false negatives.
  public func update(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor?) throws {
    let inputs = try ConfusionInputs(
      yTrue: yTrue, yPred: yPred, sampleWeight: sampleWeight, classId: classId, metric: name)
    counts.add(inputs, thresholds: thresholds)
  }

  /// The recall at the first threshold.
  public func result() -> Float { resultValues()[0] }

  /// The recall at each threshold.
  public func resultValues() -> [Float] {
    zip(counts.truePositives, counts.falseNegatives).map {
      Float(ConfusionCounts.ratio($0, $0 + $1))
    }
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
