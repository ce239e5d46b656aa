import SwiftKerasCore

/// Buckets continuous values by boundaries, as `keras.layers.Discretization`: a value `x`
/// goes to bucket `i` when `binBoundaries[i-1] <= x < binBoundaries[i]` (bucket 0 below
/// the first boundary, `binBoundaries.count` at or above the last), then is encoded as
/// `outputMode` says (`int` indices, `one_hot`, `multi_hot` or `count` rows of
/// `binBoundaries.count + 1`).
///
/// The boundaries are given, or learned by `adapt` with `numBins`: Keras's approximate
/// quantiles (a summary of at most `1 / epsilon` weighted points per batch, merged and
/// compressed batch by batch, then cut into `numBins` equal-weight bins), reproduced
/// step for step so the boundaries equal Keras's.
///
/// ```swift
/// let buckets = Discretization(binBoundaries: [0, 1, 2])
/// try buckets(Tensor([-1.5, 1.0, 3.0]))            // [0, 2, 3]
/// let quartiles = Discretization(numBins: 4)
/// try quartiles.adapt(ages)                          // three boundaries
/// ```
public final class Discretization: Layer, ConfigInitializable, AdaptableLayer {
  /// The bucket boundaries, sorted (nil before `adapt` when `numBins` is set).
  @Config public var binBoundaries: [Double]? = nil
  /// The number of buckets `adapt` learns boundaries for (nil when boundaries are given).
  @Config public var numBins: Int? = nil
  /// The error bound of the quantile summary `adapt` builds (Keras's default 0.01).
  @Config public var epsilon: Double = 0.01
  /// `int`, `one_hot`, `multi_hot` or `count`.
  @Config public var outputMode = "int"
  /// Keras's sparse outputs; only `false`.
  @Config public var sparse = false

  /// The quantile summary `adapt` accumulates: values and their weights.
  private var summary: (values: [Float], weights: [Float]) = ([], [])

  /// Creates the layer with given bucket boundaries.
  public convenience init(
    binBoundaries: [Double], outputMode: String = "int", name: String? = nil
  ) {
    self.init(name: name)
    self.binBoundaries = binBoundaries
    self.outputMode = outputMode
  }

  /// Creates the layer learning `numBins` buckets with `adapt`.
  public convenience init(
    numBins: Int, epsilon: Double = 0.01, outputMode: String = "int", name: String? = nil
  ) {
    self.init(name: name)
    self.numBins = numBins
    self.epsilon = epsilon
    self.outputMode = outputMode
  }

  /// Keras's config: no `trainable` key.
  public override func getConfig() -> [String: ConfigValue] {
    var config = super.getConfig()
    config["trainable"] = nil
    return config
  }

  private func checkArguments() throws {
    guard ["int", "one_hot", "multi_hot", "count"].contains(outputMode) else {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(name)' (Discretization): output_mode must be int, one_hot, multi_hot or count, got '\(outputMode)'"
      )
    }
    guard !sparse else {
      throw SwiftKerasError(
        .invalidArgument, "layer '\(name)' (Discretization): sparse outputs are not implemented")
    }
    if let numBins, numBins < 0 {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(name)' (Discretization): num_bins must be at least 0, got \(numBins)")
    }
    guard epsilon > 0 else {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(name)' (Discretization): epsilon must be positive, got \(epsilon)")
    }
  }

  public override func build(inputShape: Shape) throws {
    try checkArguments()
  }

  public override func checkInputs(_ shapes: [[Int]]) throws {
    guard shapes.count == 1 else {
      throw SwiftKerasError(
        .shapeMismatch, "layer '\(name)' (Discretization) takes one input, got \(shapes.count)")
    }
  }

  public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
    guard let binBoundaries else {
      throw SwiftKerasError(
        .invalidState,
        "layer '\(name)' (Discretization): give binBoundaries, or call adapt with numBins set, before using the layer"
      )
    }
    // Compared in float32, as TensorFlow's Bucketize.
    let boundaries = binBoundaries.map { Float($0) }
    let indices = input.scalars.map { value -> Float in
      var low = 0
      var high = boundaries.count
      while low < high {
        let middle = (low + high) / 2
        if boundaries[middle] <= value { low = middle + 1 } else { high = middle }
      }
      return Float(low)
    }
    return try CategoricalOutput.encode(
      Tensor(shape: input.shape, scalars: indices), mode: outputMode,
      depth: boundaries.count + 1, layer: name, kind: "Discretization")
  }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    let depth = binBoundaries.map { $0.count + 1 } ?? numBins ?? 0
    return CategoricalOutput.outputShape(inputShapes[0], mode: outputMode, depth: depth)
  }

  /// An unbatched dataset is read element by element, as Keras iterates it.
  public var unbatchedAdaptBatchSize: Int? { nil }

  /// Learns `numBins` bucket boundaries from the batches `nextBatch` returns: each batch
  /// is summarized and merged into the running summary as Keras's `update_state`.
  ///
  /// - Throws: ``SwiftKerasError`` when `numBins` is not set (boundaries were given), or
  ///   no data is given.
  public func adapt(nextBatch: () throws -> Tensor?) throws {
    try checkArguments()
    guard let numBins else {
      throw SwiftKerasError(
        .invalidState,
        "layer '\(name)' (Discretization): cannot adapt a layer created with binBoundaries; create it with numBins"
      )
    }
    summary = ([], [])
    var batches = 0
    while let batch = try nextBatch() {
      let next = Discretization.summarize(batch.scalars, epsilon: epsilon)
      summary = Discretization.merge(next, summary, epsilon: epsilon)
      batches += 1
    }
    guard batches > 0 else {
      throw SwiftKerasError(
        .invalidArgument, "layer '\(name)' (Discretization): adapt received no data")
    }
    guard !summary.values.isEmpty else {
      throw SwiftKerasError(
        .invalidArgument, "layer '\(name)' (Discretization): adapt received only empty batches")
    }
    let cut = Discretization.compress(summary, epsilon: 1 / Double(numBins))
    binBoundaries = cut.values.dropLast().map { Double($0) }
  }

  /// Keras's `summarize`: every `step`-th sorted value, each weighing `step`.
  static func summarize(_ values: [Float], epsilon: Double) -> (values: [Float], weights: [Float]) {
    let sorted = values.sorted()
    let increment = Double(sorted.count) / (1 / epsilon)
    let step = Swift.max(increment, 1)
    let (start, stride) = (Int(step - 1), Int(step))
    let picked = Swift.stride(from: start, to: sorted.count, by: stride).map { sorted[$0] }
    return (picked, [Float](repeating: Float(step), count: picked.count))
  }

  /// Keras's `merge_summaries`: both summaries sorted together by value, then
  /// compressed. Ties keep their order (NumPy's `argsort` is not stable, so Keras may sum
  /// the weights of equal values in another order; the values are the same).
  static func merge(
    _ first: (values: [Float], weights: [Float]), _ second: (values: [Float], weights: [Float]),
    epsilon: Double
  ) -> (values: [Float], weights: [Float]) {
    let values = first.values + second.values
    let weights = first.weights + second.weights
    let order = values.indices.sorted { (values[$0], $0) < (values[$1], $1) }
    return compress((order.map { values[$0] }, order.map { weights[$0] }), epsilon: epsilon)
  }

  /// Keras's `compress_summary`: the summary resampled at the `1 / epsilon` evenly spaced
  /// cumulative-weight percents by NumPy's `interp`.
  static func compress(_ summary: (values: [Float], weights: [Float]), epsilon: Double) -> (
    values: [Float], weights: [Float]
  ) {
    if Double(summary.values.count) * epsilon < 1 { return summary }
    let count = Int((1.0 / epsilon).rounded(.up))
    let percents = (0..<count).map { epsilon + Double($0) * epsilon }
    var cumulative: [Float] = []
    var running: Float = 0
    for weight in summary.weights {
      running += weight
      cumulative.append(running)
    }
    let total = cumulative.last ?? 1
    let cumulativePercents = cumulative.map { Double($0 / total) }
    let newValues = interpolate(percents, cumulativePercents, summary.values.map(Double.init))
    let newCumulative = interpolate(percents, cumulativePercents, cumulative.map(Double.init))
    var newWeights: [Double] = []
    for index in newCumulative.indices {
      newWeights.append(newCumulative[index] - (index == 0 ? 0 : newCumulative[index - 1]))
    }
    return (newValues.map { Float($0) }, newWeights.map { Float($0) })
  }

  /// NumPy's `interp(x, xp, fp)`: linear between the surrounding points (the last point
  /// at or below `x`), clamped to the ends.
  static func interpolate(_ x: [Double], _ xp: [Double], _ fp: [Double]) -> [Double] {
    x.map { value in
      guard let last = xp.last, let first = xp.first else { return .nan }
      if value > last { return fp[fp.count - 1] }
      if value < first { return fp[0] }
      // The largest j with xp[j] <= value.
      var low = 0
      var high = xp.count
      while low < high {
        let middle = (low + high) / 2
        if xp[middle] <= value { low = middle + 1 } else { high = middle }
      }
      let j = low - 1
      if j == xp.count - 1 || xp[j] == value { return fp[j] }
      let slope = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j])
      var result = slope * (value - xp[j]) + fp[j]
      if result.isNaN {
        result = slope * (value - xp[j + 1]) + fp[j + 1]
        if result.isNaN && fp[j] == fp[j + 1] { result = fp[j] }
      }
      return result
    }
  }
}
