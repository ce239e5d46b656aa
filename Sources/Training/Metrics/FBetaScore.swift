import SwiftKerasCore

/// The F-beta score `(1 + β²) · P · R / (β² · P + R)` from accumulated true positives,
/// false positives and false negatives, as `keras.metrics.FBetaScore` (identifier
/// `"fbeta_score"`). Inputs are `(samples, classes)`.
///
/// Without a `threshold`, the largest prediction of each row counts as positive; with one,
/// predictions strictly above it do. `average` is `nil` (one score per class, see
/// ``resultValues()``; ``result()`` then gives their mean), `"micro"`, `"macro"` or
/// `"weighted"`.
public class FBetaScore: Metric {
  /// Higher is better.
  public var direction: MetricDirection { .up }

  /// The name the metric is logged under.
  public var name: String
  /// How per-class scores are combined: nil, `"micro"`, `"macro"` or `"weighted"`.
  public let average: String?
  /// The weight of recall relative to precision.
  public let beta: Float
  /// The decision threshold, or nil to take each row's maximum.
  public let threshold: Float?
  var truePositives: [Double] = []
  var falsePositives: [Double] = []
  var falseNegatives: [Double] = []
  var intermediateWeights: [Double] = []

  /// Creates the metric.
  ///
  /// - Throws: `SwiftKerasError.invalidArgument` for an unknown `average`, `beta` ≤ 0 or a
  ///   threshold outside `(0, 1]`.
  public init(
    average: String? = nil, beta: Float = 1, threshold: Float? = nil, name: String = "fbeta_score"
  ) throws {
    if let average, !["micro", "macro", "weighted"].contains(average) {
      throw SwiftKerasError(
        .invalidArgument,
        "\(name): average must be nil, \"micro\", \"macro\" or \"weighted\"; got \"\(average)\"")
    }
    guard beta > 0 else {
      throw SwiftKerasError(.invalidArgument, "\(name): beta must be > 0, got \(beta)")
    }
    if let threshold, !(threshold > 0 && threshold <= 1) {
      throw SwiftKerasError(
        .invalidArgument, "\(name): threshold must verify 0 < threshold <= 1, got \(threshold)")
    }
    self.average = average
    self.beta = beta
    self.threshold = threshold
    self.name = name
  }

  /// Accumulates the batch's counts per class (or in total for `"micro"`).
  public func update(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor?) throws {
    guard yTrue.rank == 2, yPred.rank == 2, yTrue.shape == yPred.shape else {
      throw SwiftKerasError(
        .shapeMismatch,
        "\(name): expects 2D inputs of equal shape (batch_size, output_dim); got y_pred.shape=\(yPred.shape) and y_true.shape=\(yTrue.shape)"
      )
    }
    let (rows, classes) = (yPred.shape[0], yPred.shape[1])
    if let sampleWeight, sampleWeight.count != rows || sampleWeight.rank > 1 {
      throw SwiftKerasError(
        .shapeMismatch,
        "\(name): sample_weight of shape \(sampleWeight.shape) does not fit \(rows) samples")
    }
    let width = average == "micro" ? 1 : classes
    if let zeros = try firstBatchSums(
      existing: truePositives.count, width: width,
      mismatch: "\(name): y_pred has \(classes) classes, earlier batches had \(width)")
    {
      (truePositives, falsePositives, falseNegatives, intermediateWeights) =
        (zeros, zeros, zeros, zeros)
    }
    let t = yTrue.detached.scalars
    let p = yPred.detached.scalars
    let w = sampleWeight?.detached.scalars
    for r in 0..<rows {
      let weight = Double(w?[r] ?? 1)
      var rowMax = -Float.infinity
      if threshold == nil {
        for j in 0..<classes { rowMax = Swift.max(rowMax, p[r * classes + j]) }
      }
      for j in 0..<classes {
        let x = p[r * classes + j]
        let predicted: Double
        if let threshold {
          predicted = x > threshold ? 1 : 0
        } else {
          predicted = (x >= rowMax && Swift.abs(x) > 1e-9) ? 1 : 0
        }
        let label = Double(t[r * classes + j])
        let k = width == 1 ? 0 : j
        truePositives[k] += predicted * label * weight
        falsePositives[k] += predicted * (1 - label) * weight
        falseNegatives[k] += (1 - predicted) * label * weight
        intermediateWeights[k] += label * weight
      }
    }
  }

  /// The score per class (one value for `"micro"`, `"macro"` and `"weighted"`).
  public func resultValues() -> [Float] {
    let eps = 1e-7
    let b2 = Double(beta) * Double(beta)
    var scores: [Double] = []
    for k in 0..<truePositives.count {
      let precision = truePositives[k] / (truePositives[k] + falsePositives[k] + eps)
      let recall = truePositives[k] / (truePositives[k] + falseNegatives[k] + eps)
      let mean = precision * recall / (b2 * precision + recall + eps)
      scores.append(mean * (1 + b2))
    }
    switch average {
    case nil:
      return scores.map { Float($0) }
    case "weighted":
      let total = intermediateWeights.reduce(0, +) + eps
      return [Float(zip(scores, intermediateWeights).reduce(0) { $0 + $1.0 * $1.1 / total })]
    default:
      return [Float(scores.isEmpty ? 0 : scores.reduce(0, +) / Double(scores.count))]
    }
  }

  /// The combined score; with `average: nil`, the mean of the per-class scores.
  public func result() -> Float { meanOfResultValues() }

  /// Forgets everything accumulated.
  public func reset() {
    truePositives.zeroAll()
    falsePositives.zeroAll()
    falseNegatives.zeroAll()
    intermediateWeights.zeroAll()
  }

  /// `{"name", "dtype", "average", "beta", "threshold"}`.
  public func getConfig() -> ConfigValue {
    [
      "name": .string(name), "dtype": "float32", "average": average.map { .string($0) } ?? .null,
      "beta": .double(Double(beta)), "threshold": threshold.map { .double(Double($0)) } ?? .null,
    ]
  }
}

/// The F1 score, FBetaScore with β = 1, as `keras.metrics.F1Score` (identifier
/// `"f1_score"`).
public final class F1Score: FBetaScore {
  /// Creates the metric.
  ///
  /// - Throws: `SwiftKerasError.invalidArgument` for an unknown `average` or a threshold
  ///   outside `(0, 1]`.
  public init(average: String? = nil, threshold: Float? = nil, name: String = "f1_score") throws {
    try super.init(average: average, beta: 1, threshold: threshold, name: name)
  }

  /// `{"name", "dtype", "average", "threshold"}`: Keras's F1Score has no `beta` argument.
  public override func getConfig() -> ConfigValue {
    guard case .object(var fields) = super.getConfig() else { return super.getConfig() }
    fields["beta"] = nil
    return .object(fields)
  }
}
