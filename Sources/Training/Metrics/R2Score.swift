import SwiftKerasCore

/// The coefficient of determination, as `keras.metrics.R2Score` (identifier
/// `"r2_score"`). Inputs are `(samples, outputs)`.
///
/// `classAggregation` is `"uniform_average"` (default), `"variance_weighted_average"` or
/// nil (one score per output, see ``resultValues()``); `numRegressors` > 0 gives the
/// adjusted R².
public final class R2Score: Metric {
  /// Higher is better.
  public var direction: MetricDirection { .up }

  /// The name the metric is logged under.
  public var name: String
  /// How per-output scores are combined.
  public let classAggregation: String?
  /// The number of independent regressors, for the adjusted score.
  public let numRegressors: Int
  var squaredSum: [Double] = []
  var sum: [Double] = []
  var residual: [Double] = []
  var count: [Double] = []
  var numSamples: Double = 0

  /// Creates the metric.
  ///
  /// - Throws: `SwiftKerasError.invalidArgument` for an unknown aggregation or negative
  ///   `numRegressors`.
  public init(
    classAggregation: String? = "uniform_average", numRegressors: Int = 0,
    name: String = "r2_score"
  ) throws {
    if let classAggregation,
      !["uniform_average", "variance_weighted_average"].contains(classAggregation)
    {
      throw SwiftKerasError(
        .invalidArgument,
        "\(name): class_aggregation must be nil, \"uniform_average\" or \"variance_weighted_average\"; got \"\(classAggregation)\""
      )
    }
    guard numRegressors >= 0 else {
      throw SwiftKerasError(
        .invalidArgument, "\(name): num_regressors must be >= 0, got \(numRegressors)")
    }
    self.classAggregation = classAggregation
    self.numRegressors = numRegressors
    self.name = name
  }

  /// Accumulates the batch's sums per output.
  public func update(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor?) throws {
    let (ts, ps) = LossReducer.alignedShapes(yTrue.shape, yPred.shape)
    guard ts.count == 2, ts == ps else {
      throw SwiftKerasError(
        .shapeMismatch,
        "\(name): expects 2D inputs of equal shape (batch_size, output_dim); got y_pred.shape=\(yPred.shape) and y_true.shape=\(yTrue.shape)"
      )
    }
    let (rows, outputs) = (ts[0], ts[1])
    var weights = [Float](repeating: 1, count: rows * outputs)
    if let sampleWeight {
      let ws = sampleWeight.rank == 1 ? sampleWeight.shape + [1] : sampleWeight.shape
      guard let common = Broadcasting.shape(ws, ts), common == ts else {
        throw SwiftKerasError(
          .shapeMismatch,
          "\(name): sample_weight of shape \(sampleWeight.shape) does not fit y_true of shape \(yTrue.shape)"
        )
      }
      weights = sampleWeight.detached.reshaped(to: ws).broadcast(toShape: ts).scalars
    }
    if let zeros = try firstBatchSums(
      existing: sum.count, width: outputs,
      mismatch: "\(name): y_pred has \(outputs) outputs, earlier batches had \(sum.count)")
    {
      (sum, squaredSum, residual, count) = (zeros, zeros, zeros, zeros)
    }
    let t = yTrue.detached.scalars
    let p = yPred.detached.scalars
    for r in 0..<rows {
      for j in 0..<outputs {
        let i = r * outputs + j
        let (y, w, e) = (Double(t[i]), Double(weights[i]), Double(t[i] - p[i]))
        sum[j] += y * w
        squaredSum[j] += y * y * w
        residual[j] += e * e * w
        count[j] += w
      }
    }
    numSamples += Double(rows * outputs)
  }

  /// The score per output.
  func rawScores() -> [Double] {
    (0..<sum.count).map { j in
      let mean = sum[j] / count[j]
      let total = squaredSum[j] - sum[j] * mean
      let score = 1 - residual[j] / total
      return score.isInfinite ? 0 : score
    }
  }

  /// The aggregated score (per output with `classAggregation: nil`).
  public func resultValues() -> [Float] {
    let raw = rawScores()
    var scores: [Double]
    switch classAggregation {
    case nil:
      scores = raw
    case "variance_weighted_average":
      let totals = (0..<sum.count).map { squaredSum[$0] - sum[$0] * sum[$0] / count[$0] }
      let weighted = zip(totals, raw).reduce(0) { $0 + $1.0 * $1.1 }
      scores = [weighted / totals.reduce(0, +)]
    default:
      scores = [raw.reduce(0, +) / Double(raw.count)]
    }
    let n = numSamples
    let p = Double(numRegressors)
    if numRegressors != 0 && p < n - 1 {
      scores = scores.map { 1 - (1 - $0) * (n - 1) / (n - p - 1) }
    }
    return scores.map { Float($0) }
  }

  /// The score (the mean of per-output scores with `classAggregation: nil`).
  public func result() -> Float { meanOfResultValues() }

  /// Forgets everything accumulated.
  public func reset() {
    sum.zeroAll()
    squaredSum.zeroAll()
    residual.zeroAll()
    count.zeroAll()
    numSamples = 0
  }

  /// `{"name", "dtype", "class_aggregation", "num_regressors"}`.
  public func getConfig() -> ConfigValue {
    [
      "name": .string(name), "dtype": "float32",
      "class_aggregation": classAggregation.map { .string($0) } ?? .null,
      "num_regressors": .int(numRegressors),
    ]
  }
}
