import SwiftKerasCore

/// Shifts and scales its input to zero mean and unit variance per position of `axis`, as
/// `keras.layers.Normalization`: `(x - mean) / max(sqrt(variance), 1e-7)`, or with
/// `invert` the reverse, `mean + x * max(sqrt(variance), 1e-7)`.
///
/// The mean and variance are either given at creation (they are then part of the config
/// and the layer has no weights) or learned from data by `adapt(_:)` (on a tensor, or a
/// `Dataset` of batches) before training. Learned values are three non-trainable weights
/// stored as Keras stores them — `mean` and `variance` (float32, one value per position
/// of the kept axes) and `count` (an int64 scalar, which Keras 3 creates but never
/// updates: it stays 0) — so `.keras` and `.weights.h5` files move both ways.
///
/// ```swift
/// let normalize = Normalization()                 // per feature, along the last axis
/// try normalize.adapt(xTrain)                     // learns mean and variance
/// let model = try Sequential([Input(shape: [8]), normalize, Dense(1)])
/// let fixed = Normalization(mean: 3, variance: 2) // (x - 3) / √2
/// ```
public final class Normalization: Layer, ConfigInitializable, AdaptableLayer {
  /// Masks pass through unchanged, as Keras's `supports_masking`.
  public override var supportsMasking: Bool { true }

  /// Keras's `backend.epsilon()`, the smallest standard deviation divided by.
  static let epsilon: Float = 1e-7

  /// The axes kept (one mean and variance per position along them); every other axis is
  /// reduced over. Empty for one mean and variance over everything (Keras's `axis=None`).
  @Config public var axis = [-1]
  /// Whether the layer undoes a normalization: `mean + x * sqrt(variance)`.
  @Config public var invert = false
  /// The mean given at creation, as Keras writes it (a number or nested lists), or null
  /// when the layer learns it with ``adapt(_:)``.
  @Config("mean") public var givenMean = ConfigValue.null
  /// The variance given at creation, as Keras writes it, or null when learned.
  @Config("variance") public var givenVariance = ConfigValue.null

  /// The learned mean, shaped as the kept axes (after build, when no mean was given).
  public private(set) var adaptedMean: Variable?
  /// The learned variance, shaped as the kept axes (after build, when no mean was given).
  public private(set) var adaptedVariance: Variable?
  /// Keras's `count` weight: an int64 scalar that Keras 3 never updates (always 0).
  public private(set) var count: Variable?

  /// The kept axes, non-negative and sorted (after build).
  private var keptAxes: [Int] = []
  /// The input shape with kept extents and 1 elsewhere (after build).
  private var broadcastShape: [Int] = []
  /// The given mean and variance, shaped to broadcast against inputs (after build).
  private var fixedMoments: (mean: Tensor, variance: Tensor)?

  /// Creates the layer normalizing per position of `axis` (nil: over everything), with
  /// the mean and variance given per position (both or neither) or learned by
  /// ``adapt(_:)``.
  public convenience init(
    axis: Int? = -1, mean: [Float]? = nil, variance: [Float]? = nil, invert: Bool = false,
    inputShape: [Int?]? = nil, name: String? = nil
  ) {
    self.init(
      axes: axis.map { [$0] } ?? [], mean: mean, variance: variance, invert: invert,
      inputShape: inputShape, name: name)
  }

  /// Creates the layer keeping several axes (empty: one mean and variance over
  /// everything).
  public convenience init(
    axes: [Int], mean: [Float]? = nil, variance: [Float]? = nil, invert: Bool = false,
    inputShape: [Int?]? = nil, name: String? = nil
  ) {
    self.init(name: name)
    requestedInputShape = inputShape
    axis = axes
    self.invert = invert
    givenMean = mean.map { .array($0.map { .double(Double($0)) }) } ?? .null
    givenVariance = variance.map { .array($0.map { .double(Double($0)) }) } ?? .null
  }

  /// Creates the layer with one mean and variance for every position (written as numbers
  /// in the config, as Keras's `Normalization(mean=3.0, variance=2.0)`).
  public convenience init(
    axis: Int? = -1, mean: Float, variance: Float, invert: Bool = false,
    inputShape: [Int?]? = nil, name: String? = nil
  ) {
    self.init(axis: axis, invert: invert, inputShape: inputShape, name: name)
    givenMean = .double(Double(mean))
    givenVariance = .double(Double(variance))
  }

  public override func build(inputShape: Shape) throws {
    let rank = inputShape.count
    let resolved = axis.map { $0 < 0 ? $0 + rank : $0 }
    guard resolved.allSatisfy({ (0..<rank).contains($0) }), Set(resolved).count == resolved.count
    else {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(name)' (Normalization): axis \(axis) must name distinct axes of inputs of rank \(rank), got shape \(formatShape(inputShape))"
      )
    }
    keptAxes = resolved.sorted()
    var extents: [Int] = []
    for kept in keptAxes {
      guard let extent = inputShape[kept] else {
        throw SwiftKerasError(
          .shapeMismatch,
          "layer '\(name)' (Normalization): kept axis \(kept) must have a known extent, got inputs of shape \(formatShape(inputShape))"
        )
      }
      extents.append(extent)
    }
    broadcastShape = (0..<rank).map { keptAxes.contains($0) ? inputShape[$0] ?? 1 : 1 }
    switch (givenMean, givenVariance) {
    case (.null, .null):
      adaptedMean = addWeight(
        name: "mean", shape: extents, initializer: Zeros(), trainable: false)
      adaptedVariance = addWeight(
        name: "variance", shape: extents, initializer: Ones(), trainable: false)
      let count = addWeight(name: "count", shape: [], initializer: Zeros(), trainable: false)
      count.storedType = .int64
      self.count = count
    case (.null, _), (_, .null):
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(name)' (Normalization): give both mean and variance, or neither (to adapt); got mean \(givenMean) and variance \(givenVariance)"
      )
    default:
      fixedMoments = (
        try broadcastMoment(givenMean, argument: "mean"),
        try broadcastMoment(givenVariance, argument: "variance")
      )
    }
  }

  /// A given mean or variance laid along the kept axes, as Keras: a number applies to
  /// every position; a list's trailing extents go to the last kept axes.
  private func broadcastMoment(_ value: ConfigValue, argument: String) throws -> Tensor {
    let (extents, values) = try Normalization.flatten(value, layer: name, argument: argument)
    guard extents.count <= keptAxes.count else {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(name)' (Normalization): \(argument) has rank \(extents.count), more than the \(keptAxes.count) kept axes \(axis)"
      )
    }
    var expanded = [Int](repeating: 1, count: broadcastShape.count)
    for (offset, extent) in extents.reversed().enumerated() {
      let kept = keptAxes[keptAxes.count - 1 - offset]
      guard extent == broadcastShape[kept] || extent == 1 else {
        throw SwiftKerasError(
          .shapeMismatch,
          "layer '\(name)' (Normalization): \(argument) of shape \(extents) does not fit the kept axes' extents \(keptAxes.map { broadcastShape[$0] })"
        )
      }
      expanded[kept] = extent
    }
    let tensor = Tensor(shape: expanded, scalars: values)
    return tensor + Tensor.zeros(broadcastShape)
  }

  /// The extents and row-major values of a number or nested lists of numbers.
  static func flatten(_ value: ConfigValue, layer: String, argument: String) throws -> (
    [Int], [Float]
  ) {
    if let number = value.doubleValue { return ([], [Float(number)]) }
    guard let items = value.arrayValue else {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(layer)' (Normalization): \(argument) must be a number or nested lists of numbers, got \(value)"
      )
    }
    var inner: [Int]? = nil
    var values: [Float] = []
    for item in items {
      let (extents, itemValues) = try flatten(item, layer: layer, argument: argument)
      guard inner == nil || inner == extents else {
        throw SwiftKerasError(
          .invalidArgument,
          "layer '\(layer)' (Normalization): \(argument) is a ragged list; rows must have equal lengths"
        )
      }
      inner = extents
      values += itemValues
    }
    return ([items.count] + (inner ?? []), values)
  }

  public override func checkInputs(_ shapes: [[Int]]) throws {
    guard shapes.count == 1 else {
      throw SwiftKerasError(
        .shapeMismatch, "layer '\(name)' (Normalization) takes one input, got \(shapes.count)")
    }
    let shape = shapes[0]
    guard shape.count == broadcastShape.count,
      keptAxes.allSatisfy({ shape[$0] == broadcastShape[$0] })
    else {
      throw SwiftKerasError(
        .shapeMismatch,
        "layer '\(name)' (Normalization) expects inputs of rank \(broadcastShape.count) with extents \(keptAxes.map { broadcastShape[$0] }) along axes \(keptAxes), got shape \(shape)"
      )
    }
  }

  /// The mean and variance in the input's layout.
  private func moments() throws -> (mean: Tensor, variance: Tensor) {
    if let fixedMoments { return fixedMoments }
    guard let adaptedMean, let adaptedVariance else {
      throw SwiftKerasError(.invalidState, "layer '\(name)' (Normalization) is not built")
    }
    return (
      adaptedMean.untrackedValue.reshaped(to: broadcastShape),
      adaptedVariance.untrackedValue.reshaped(to: broadcastShape)
    )
  }

  public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
    let (mean, variance) = try moments()
    let deviation = maximum(sqrt(variance), Normalization.epsilon)
    return invert ? mean + input * deviation : (input - mean) / deviation
  }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    inputShapes[0]
  }

  /// Keras reads an unbatched dataset in batches of 128 when adapting.
  public var unbatchedAdaptBatchSize: Int? { 128 }

  /// Learns the mean and variance from the batches `nextBatch` returns until it returns
  /// nil, one at a time (a stream larger than memory is fine), as Keras's `adapt` on a
  /// batched dataset.
  ///
  /// - Throws: ``SwiftKerasError`` when the mean and variance were given at creation, no
  ///   batch or an empty batch is given, a batch's shape does not fit the layer, or what
  ///   `nextBatch` throws.
  public func adapt(nextBatch: () throws -> Tensor?) throws {
    guard let first = try nextBatch() else {
      throw SwiftKerasError(
        .invalidArgument, "layer '\(name)' (Normalization): adapt received no data")
    }
    guard givenMean == .null, givenVariance == .null else {
      throw SwiftKerasError(
        .invalidState,
        "layer '\(name)' (Normalization): adapt cannot change a mean and variance given at creation"
      )
    }
    try ensureBuilt(inputShapes: [batchShape(of: first.shape)])
    guard let adaptedMean, let adaptedVariance else {
      throw SwiftKerasError(.invalidState, "layer '\(name)' (Normalization) is not built")
    }
    var totalMean = [Double](repeating: 0, count: adaptedMean.untrackedValue.count)
    var totalVariance = totalMean
    var totalCount = 0
    var next: Tensor? = first
    while let batch = next {
      try checkInputs([batch.shape])
      guard batch.count > 0 else {
        throw SwiftKerasError(
          .invalidArgument,
          "layer '\(name)' (Normalization): adapt received an empty batch of shape \(batch.shape)")
      }
      let (batchMean, batchVariance, batchCount) = batchMoments(batch)
      totalCount += batchCount
      let batchWeight = Double(batchCount) / Double(totalCount)
      let existingWeight = 1 - batchWeight
      for index in totalMean.indices {
        let merged = totalMean[index] * existingWeight + batchMean[index] * batchWeight
        let oldShift = totalMean[index] - merged
        let newShift = batchMean[index] - merged
        totalVariance[index] =
          (totalVariance[index] + oldShift * oldShift) * existingWeight
          + (batchVariance[index] + newShift * newShift) * batchWeight
        totalMean[index] = merged
      }
      next = try nextBatch()
    }
    let shape = adaptedMean.shape
    adaptedMean.assign(Tensor(shape: shape, scalars: totalMean.map { Float($0) }))
    adaptedVariance.assign(Tensor(shape: shape, scalars: totalVariance.map { Float($0) }))
  }

  /// The mean and population variance of `batch` per position of the kept axes (in
  /// double precision), and the number of values each is over.
  private func batchMoments(_ batch: Tensor) -> ([Double], [Double], Int) {
    let shape = batch.shape
    let keptCount = keptAxes.reduce(1) { $0 * shape[$1] }
    let total = shape.reduce(1, *)
    let perPosition = keptCount == 0 ? 0 : total / keptCount
    // The kept position of each flat index: its coordinates along the kept axes.
    var strides = [Int](repeating: 0, count: shape.count)
    var stride = 1
    for kept in keptAxes.reversed() {
      strides[kept] = stride
      stride *= shape[kept]
    }
    var positions = [Int](repeating: 0, count: total)
    var coordinates = [Int](repeating: 0, count: shape.count)
    for flat in 0..<total {
      positions[flat] = zip(coordinates, strides).reduce(0) { $0 + $1.0 * $1.1 }
      var axisIndex = shape.count - 1
      while axisIndex >= 0 {
        coordinates[axisIndex] += 1
        if coordinates[axisIndex] < shape[axisIndex] { break }
        coordinates[axisIndex] = 0
        axisIndex -= 1
      }
    }
    let scalars = batch.scalars
    var sums = [Double](repeating: 0, count: keptCount)
    for flat in 0..<total { sums[positions[flat]] += Double(scalars[flat]) }
    let means = sums.map { $0 / Double(perPosition) }
    var squares = [Double](repeating: 0, count: keptCount)
    for flat in 0..<total {
      let shift = Double(scalars[flat]) - means[positions[flat]]
      squares[positions[flat]] += shift * shift
    }
    return (means, squares.map { $0 / Double(perPosition) }, perPosition)
  }
}
