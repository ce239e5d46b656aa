import SwiftKerasCore

/// The shared machinery of ``Precision`` and ``Recall``: confusion counts at one or more
/// thresholds, reduced to `tp / (tp + errors)` where the errors are false positives or
/// false negatives.
public class ThresholdRatioMetric: Metric {
  /// Higher is better.
  public var direction: MetricDirection { .up }

  /// The name the metric is logged under.
  public var name: String
  /// Predictions strictly above a threshold count as positive.
  public let thresholds: [Float]
  /// When set, only the `topK` largest predictions of each row (along the last axis) can
  /// count as positive; the others are set to -10¹⁰ first, as Keras.
  public let topK: Int?
  /// When set, only this column of the last axis is scored.
  public let classId: Int?
  var counts: ConfusionCounts
  /// Whether the thresholds were given (else Keras's default: 0.5, or -10¹⁰ with `topK`).
  private let thresholdsGiven: Bool

  /// Creates the metric with Keras's arguments.
  ///
  /// - Parameters:
  ///   - thresholds: predictions strictly above count as positive; 0.5 by default, or
  ///     every one of the `topK` largest when `topK` is set.
  ///   - topK: score only the `topK` largest predictions of each row (multi-class).
  ///   - classId: score only this column of the last axis.
  ///   - name: the logged name; nil for Keras's (`"precision"`, `"recall"`).
  /// - Throws: `SwiftKerasError.invalidArgument` for thresholds outside `[0, 1]` or a
  ///   `topK` below 1.
  public init(
    thresholds: [Float]? = nil, topK: Int? = nil, classId: Int? = nil, name: String? = nil
  ) throws {
    let name = name ?? Self.defaultName
    if let thresholds { try validateThresholds(thresholds, metric: name) }
    if let topK, topK < 1 {
      throw SwiftKerasError(.invalidArgument, "\(name): top_k must be at least 1, got \(topK)")
    }
    thresholdsGiven = thresholds != nil
    self.thresholds = thresholds ?? [topK == nil ? 0.5 : ConfusionInputs.negativeInfinity]
    self.topK = topK
    self.classId = classId
    self.name = name
    counts = ConfusionCounts(thresholds: self.thresholds.count)
  }

  /// The counts set against true positives: false positives (precision) or false
  /// negatives (recall).
  var errorCounts: [Double] { [] }
  /// Keras's name for the metric, the default of ``init(thresholds:topK:classId:name:)``.
  class var defaultName: String { "" }

  /// Accumulates the batch's confusion counts.
  public func update(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor?) throws {
    let inputs = try ConfusionInputs(
      yTrue: yTrue, yPred: yPred, sampleWeight: sampleWeight, topK: topK, classId: classId,
      metric: name)
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
      "thresholds": thresholdsGiven ? .array(thresholds.map { .double(Double($0)) }) : .null,
      "top_k": topK.map { .int($0) } ?? .null, "class_id": classId.map { .int($0) } ?? .null,
    ]
  }
}
