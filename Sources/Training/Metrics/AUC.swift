import Foundation
import SwiftKerasCore

/// The area under the ROC or precision–recall curve, approximated with `numThresholds`
/// evenly spaced thresholds, as `keras.metrics.AUC` (identifier `"auc"`).
///
/// Summation follows Keras: `.interpolation` (the default) uses the trapezoidal rule for
/// ROC and Davis & Goadrich's careful interpolation for PR; `.majoring` and `.minoring`
/// use upper and lower Riemann sums.
///
/// With `multiLabel`, `[samples, labels]` predictions get one curve per label and the
/// result is their mean (weighted by `labelWeights` when given); without it, every
/// prediction is one point of a single curve, and `labelWeights` weigh the columns.
/// Custom threshold lists are not supported.
///
/// ```swift
/// let auc = try AUC(curve: .pr, multiLabel: true)
/// ```
public final class AUC: Metric {
  /// Higher is better.
  public var direction: MetricDirection { .up }

  /// Which curve to integrate.
  public enum Curve: String, Sendable {
    /// True-positive rate against false-positive rate.
    case roc = "ROC"
    /// Precision against recall.
    case pr = "PR"
  }

  /// How the area between thresholds is summed.
  public enum SummationMethod: String, Sendable {
    /// Trapezoids (ROC) or careful interpolation (PR).
    case interpolation
    /// The larger of the two heights.
    case majoring
    /// The smaller of the two heights.
    case minoring
  }

  /// The name the metric is logged under.
  public var name: String
  /// The number of thresholds, at least 2.
  public let numThresholds: Int
  /// The curve integrated.
  public let curve: Curve
  /// The summation method.
  public let summationMethod: SummationMethod
  /// Whether predictions are logits (a sigmoid is applied first).
  public let fromLogits: Bool
  /// Whether each column of `[samples, labels]` predictions has its own curve.
  public let multiLabel: Bool
  /// The number of labels, given or taken from the first batch (multi-label mode).
  public private(set) var numLabels: Int?
  /// Per-label weights: of each label's area (multi-label) or of each column's samples.
  public let labelWeights: [Float]?
  /// One set of counts per label (multi-label mode), else one.
  var labelCounts: [ConfusionCounts]

  /// Creates the metric.
  ///
  /// - Throws: `SwiftKerasError.invalidArgument` when `numThresholds` < 2, a label
  ///   weight is negative, or `numLabels` is below 1.
  public init(
    numThresholds: Int = 200, curve: Curve = .roc,
    summationMethod: SummationMethod = .interpolation,
    name: String = "auc", multiLabel: Bool = false, numLabels: Int? = nil,
    labelWeights: [Float]? = nil, fromLogits: Bool = false
  ) throws {
    guard numThresholds > 1 else {
      throw SwiftKerasError(
        .invalidArgument, "\(name): num_thresholds must be an integer > 1, got \(numThresholds)")
    }
    // Four counters of 8 bytes per threshold (and per label): refuse a size no tensor may take.
    guard numThresholds <= RuntimeOptions.current.maximumTensorBytes / 32 else {
      throw SwiftKerasError(
        .invalidArgument,
        "\(name): num_thresholds \(numThresholds) needs more memory than a tensor may take (RuntimeOptions.maximumTensorBytes)"
      )
    }
    if let labelWeights, !labelWeights.allSatisfy({ $0 >= 0 }) {
      throw SwiftKerasError(
        .invalidArgument,
        "\(name): all values of label_weights must be non-negative, got \(labelWeights)")
    }
    if let numLabels, numLabels < 1 {
      throw SwiftKerasError(
        .invalidArgument, "\(name): num_labels must be at least 1, got \(numLabels)")
    }
    self.numThresholds = numThresholds
    self.curve = curve
    self.summationMethod = summationMethod
    self.name = name
    self.multiLabel = multiLabel
    self.numLabels = multiLabel ? numLabels : nil
    self.labelWeights = labelWeights
    self.fromLogits = fromLogits
    labelCounts = [ConfusionCounts(thresholds: numThresholds)]
    if multiLabel, let numLabels {
      labelCounts = Array(repeating: ConfusionCounts(thresholds: numThresholds), count: numLabels)
    }
  }

  /// The thresholds: `−ε`, `i / (n − 1)` for `i` in `1..<n−1`, and `1 + ε`.
  public var thresholds: [Float] {
    [-1e-7] + (0..<(numThresholds - 2)).map { Float(Double($0 + 1) / Double(numThresholds - 1)) }
      + [1 + 1e-7]
  }

  /// Accumulates the batch's confusion counts at every threshold in one pass (Keras's
  /// bucketed path for evenly spaced thresholds).
  public func update(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor?) throws {
    var inputs = try ConfusionInputs(
      yTrue: yTrue, yPred: yPred, sampleWeight: sampleWeight, classId: nil, metric: name)
    if fromLogits { inputs.predictions = inputs.predictions.map { 1 / (1 + Foundation.exp(-$0)) } }
    let columns = yPred.rank >= 2 ? yPred.shape[yPred.rank - 1] : 1
    if let labelWeights {
      guard labelWeights.count == columns else {
        throw SwiftKerasError(
          .shapeMismatch,
          "\(name): \(labelWeights.count) label_weights for predictions of shape \(yPred.shape) (\(columns) labels)"
        )
      }
      // Multi-label weights weigh the areas (in `result`), else the columns' samples.
      if !multiLabel {
        for i in inputs.weights.indices { inputs.weights[i] *= labelWeights[i % columns] }
      }
    }
    guard multiLabel else {
      accumulate(inputs, into: &labelCounts[0], column: 0, of: 1)
      return
    }
    guard yPred.rank == 2 else {
      throw SwiftKerasError(
        .shapeMismatch,
        "\(name): multi_label needs predictions of shape (samples, labels), got \(yPred.shape)")
    }
    if numLabels == nil {
      numLabels = columns
      labelCounts = Array(repeating: ConfusionCounts(thresholds: numThresholds), count: columns)
    }
    guard columns == numLabels else {
      throw SwiftKerasError(
        .shapeMismatch,
        "\(name): expected \(numLabels ?? 0) labels (the first batch's), got predictions of shape \(yPred.shape)"
      )
    }
    for label in 0..<columns {
      accumulate(inputs, into: &labelCounts[label], column: label, of: columns)
    }
  }

  /// Adds the elements `column`, `column + stride`, … of the batch to `counts`, bucketed by
  /// threshold in one pass (Keras's path for evenly spaced thresholds).
  private func accumulate(
    _ inputs: ConfusionInputs, into counts: inout ConfusionCounts, column: Int, of stride: Int
  ) {
    let n = numThresholds
    var tpBucket = [Double](repeating: 0, count: n)
    var fpBucket = [Double](repeating: 0, count: n)
    var totalTrue: Double = 0
    var totalFalse: Double = 0
    let scale = Float(n - 1)
    for i in Swift.stride(from: column, to: inputs.predictions.count, by: stride) {
      let p = Swift.min(Swift.max(inputs.predictions[i], 0), 1)
      let bucket = Swift.max(Int((p * scale).rounded(.up)) - 1, 0)
      let w = Double(inputs.weights[i])
      if inputs.labels[i] != 0 {
        tpBucket[bucket] += w
        totalTrue += w
      } else {
        fpBucket[bucket] += w
        totalFalse += w
      }
    }
    var tp: Double = 0
    var fp: Double = 0
    for k in Swift.stride(from: n - 1, through: 0, by: -1) {
      tp += tpBucket[k]
      fp += fpBucket[k]
      counts.truePositives[k] += tp
      counts.falsePositives[k] += fp
      counts.trueNegatives[k] += totalFalse - fp
      counts.falseNegatives[k] += totalTrue - tp
    }
  }

  /// The area under the curve so far (in multi-label mode, the labels' mean area).
  public func result() -> Float {
    guard multiLabel else { return Float(area(labelCounts[0])) }
    let areas = labelCounts.map(area)
    guard let labelWeights else { return Float(areas.reduce(0, +) / Double(areas.count)) }
    let total = labelWeights.reduce(0) { $0 + Double($1) }
    let weighted = zip(areas, labelWeights).reduce(0) { $0 + $1.0 * Double($1.1) }
    return Float(ConfusionCounts.ratio(weighted, total))
  }

  /// The area under one curve.
  private func area(_ counts: ConfusionCounts) -> Double {
    let tp = counts.truePositives
    let fp = counts.falsePositives
    let tn = counts.trueNegatives
    let fn = counts.falseNegatives
    let n = numThresholds
    let ratio = ConfusionCounts.ratio
    if curve == .pr && summationMethod == .interpolation {
      var area: Double = 0
      for i in 0..<(n - 1) {
        let dtp = tp[i] - tp[i + 1]
        let p0 = tp[i] + fp[i]
        let p1 = tp[i + 1] + fp[i + 1]
        let dp = p0 - p1
        let slope = ratio(dtp, Swift.max(dp, 0))
        let intercept = tp[i + 1] - slope * p1
        let pRatio = (p0 > 0 && p1 > 0) ? ratio(p0, Swift.max(p1, 0)) : 1
        area += ratio(
          slope * (dtp + intercept * Foundation.log(pRatio)), Swift.max(tp[i + 1] + fn[i + 1], 0))
      }
      return area
    }
    var x = [Double](repeating: 0, count: n)
    var y = [Double](repeating: 0, count: n)
    for i in 0..<n {
      let recall = ratio(tp[i], tp[i] + fn[i])
      if curve == .roc {
        x[i] = ratio(fp[i], fp[i] + tn[i])
        y[i] = recall
      } else {
        x[i] = recall
        y[i] = ratio(tp[i], tp[i] + fp[i])
      }
    }
    var area: Double = 0
    for i in 0..<(n - 1) {
      let height: Double
      switch summationMethod {
      case .interpolation: height = (y[i] + y[i + 1]) / 2
      case .minoring: height = Swift.min(y[i], y[i + 1])
      case .majoring: height = Swift.max(y[i], y[i + 1])
      }
      area += (x[i] - x[i + 1]) * height
    }
    return area
  }

  /// Forgets everything accumulated.
  public func reset() {
    for i in labelCounts.indices { labelCounts[i].reset() }
  }

  /// Keras's AUC config keys.
  public func getConfig() -> ConfigValue {
    [
      "name": .string(name), "dtype": "float32", "num_thresholds": .int(numThresholds),
      "curve": .string(curve.rawValue), "summation_method": .string(summationMethod.rawValue),
      "multi_label": .bool(multiLabel), "num_labels": numLabels.map { .int($0) } ?? .null,
      "label_weights": labelWeights.map { .array($0.map { .double(Double($0)) }) } ?? .null,
      "from_logits": .bool(fromLogits),
    ]
  }
}
