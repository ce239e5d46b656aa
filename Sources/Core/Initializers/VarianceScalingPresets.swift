// The named variance-scaling initializers of Keras: Glorot, He and LeCun, each uniform
// or truncated normal.

/// Values drawn from uniform in `[-limit, limit)` with `limit = sqrt(6 / (fanIn + fanOut))`, as `keras.initializers.GlorotUniform`
/// (a ``VarianceScaling`` with scale 1, mode `.fanAvg`, distribution `.uniform`).
public struct GlorotUniform: Initializer, Sendable {
  /// The seed of the initializer's own generator, or nil to draw from the one passed in.
  public var seed: UInt64?
  /// The axes counted as input units; used only together with ``outputAxes``.
  public var inputAxes: [Int]?
  /// The axes counted as output units; used only together with ``inputAxes``.
  public var outputAxes: [Int]?

  /// Creates the initializer.
  public init(seed: UInt64? = nil, inputAxes: [Int]? = nil, outputAxes: [Int]? = nil) {
    self.seed = seed
    self.inputAxes = inputAxes
    self.outputAxes = outputAxes
  }

  /// The equivalent ``VarianceScaling``.
  public var varianceScaling: VarianceScaling {
    VarianceScaling(
      checkedScale: 1, mode: .fanAvg, distribution: .uniform, seed: seed,
      inputAxes: inputAxes, outputAxes: outputAxes)
  }

  /// Keras's class name, `"GlorotUniform"`.
  public var name: String { "GlorotUniform" }

  /// A tensor of `shape` with this initializer's values.
  public func callAsFunction(shape: [Int], generator: inout RandomGenerator) -> Tensor {
    varianceScaling(shape: shape, generator: &generator)
  }

  /// `{"seed", "input_axes", "output_axes"}`.
  public func getConfig() -> ConfigValue {
    ["seed": .seed(seed), "input_axes": .axes(inputAxes), "output_axes": .axes(outputAxes)]
  }
}

/// Values drawn from a truncated normal with standard deviation `sqrt(2 / (fanIn + fanOut))` after truncation, as `keras.initializers.GlorotNormal`
/// (a ``VarianceScaling`` with scale 1, mode `.fanAvg`, distribution `.truncatedNormal`).
public struct GlorotNormal: Initializer, Sendable {
  /// The seed of the initializer's own generator, or nil to draw from the one passed in.
  public var seed: UInt64?
  /// The axes counted as input units; used only together with ``outputAxes``.
  public var inputAxes: [Int]?
  /// The axes counted as output units; used only together with ``inputAxes``.
  public var outputAxes: [Int]?

  /// Creates the initializer.
  public init(seed: UInt64? = nil, inputAxes: [Int]? = nil, outputAxes: [Int]? = nil) {
    self.seed = seed
    self.inputAxes = inputAxes
    self.outputAxes = outputAxes
  }

  /// The equivalent ``VarianceScaling``.
  public var varianceScaling: VarianceScaling {
    VarianceScaling(
      checkedScale: 1, mode: .fanAvg, distribution: .truncatedNormal, seed: seed,
      inputAxes: inputAxes, outputAxes: outputAxes)
  }

  /// Keras's class name, `"GlorotNormal"`.
  public var name: String { "GlorotNormal" }

  /// A tensor of `shape` with this initializer's values.
  public func callAsFunction(shape: [Int], generator: inout RandomGenerator) -> Tensor {
    varianceScaling(shape: shape, generator: &generator)
  }

  /// `{"seed", "input_axes", "output_axes"}`.
  public func getConfig() -> ConfigValue {
    ["seed": .seed(seed), "input_axes": .axes(inputAxes), "output_axes": .axes(outputAxes)]
  }
}

/// Values drawn from uniform in `[-limit, limit)` with `limit = sqrt(6 / fanIn)`, as `keras.initializers.HeUniform`
/// (a ``VarianceScaling`` with scale 2, mode `.fanIn`, distribution `.uniform`).
public struct HeUniform: Initializer, Sendable {
  /// The seed of the initializer's own generator, or nil to draw from the one passed in.
  public var seed: UInt64?
  /// The axes counted as input units; used only together with ``outputAxes``.
  public var inputAxes: [Int]?
  /// The axes counted as output units; used only together with ``inputAxes``.
  public var outputAxes: [Int]?

  /// Creates the initializer.
  public init(seed: UInt64? = nil, inputAxes: [Int]? = nil, outputAxes: [Int]? = nil) {
    self.seed = seed
    self.inputAxes = inputAxes
    self.outputAxes = outputAxes
  }

  /// The equivalent ``VarianceScaling``.
  public var varianceScaling: VarianceScaling {
    VarianceScaling(
      checkedScale: 2, mode: .fanIn, distribution: .uniform, seed: seed,
      inputAxes: inputAxes, outputAxes: outputAxes)
  }

  /// Keras's class name, `"HeUniform"`.
  public var name: String { "HeUniform" }

  /// A tensor of `shape` with this initializer's values.
  public func callAsFunction(shape: [Int], generator: inout RandomGenerator) -> Tensor {
    varianceScaling(shape: shape, generator: &generator)
  }

  /// `{"seed", "input_axes", "output_axes"}`.
  public func getConfig() -> ConfigValue {
    ["seed": .seed(seed), "input_axes": .axes(inputAxes), "output_axes": .axes(outputAxes)]
  }
}

/// Values drawn from a truncated normal with standard deviation `sqrt(2 / fanIn)` after truncation, as `keras.initializers.HeNormal`
/// (a ``VarianceScaling`` with scale 2, mode `.fanIn`, distribution `.truncatedNormal`).
public struct HeNormal: Initializer, Sendable {
  /// The seed of the initializer's own generator, or nil to draw from the one passed in.
  public var seed: UInt64?
  /// The axes counted as input units; used only together with ``outputAxes``.
  public var inputAxes: [Int]?
  /// The axes counted as output units; used only together with ``inputAxes``.
  public var outputAxes: [Int]?

  /// Creates the initializer.
  public init(seed: UInt64? = nil, inputAxes: [Int]? = nil, outputAxes: [Int]? = nil) {
    self.seed = seed
    self.inputAxes = inputAxes
    self.outputAxes = outputAxes
  }

  /// The equivalent ``VarianceScaling``.
  public var varianceScaling: VarianceScaling {
    VarianceScaling(
      checkedScale: 2, mode: .fanIn, distribution: .truncatedNormal, seed: seed,
      inputAxes: inputAxes, outputAxes: outputAxes)
  }

  /// Keras's class name, `"HeNormal"`.
  public var name: String { "HeNormal" }

  /// A tensor of `shape` with this initializer's values.
  public func callAsFunction(shape: [Int], generator: inout RandomGenerator) -> Tensor {
    varianceScaling(shape: shape, generator: &generator)
  }

  /// `{"seed", "input_axes", "output_axes"}`.
  public func getConfig() -> ConfigValue {
    ["seed": .seed(seed), "input_axes": .axes(inputAxes), "output_axes": .axes(outputAxes)]
  }
}

/// Values drawn from uniform in `[-limit, limit)` with `limit = sqrt(3 / fanIn)`, as `keras.initializers.LecunUniform`
/// (a ``VarianceScaling`` with scale 1, mode `.fanIn`, distribution `.uniform`).
public struct LecunUniform: Initializer, Sendable {
  /// The seed of the initializer's own generator, or nil to draw from the one passed in.
  public var seed: UInt64?
  /// The axes counted as input units; used only together with ``outputAxes``.
  public var inputAxes: [Int]?
  /// The axes counted as output units; used only together with ``inputAxes``.
  public var outputAxes: [Int]?

  /// Creates the initializer.
  public init(seed: UInt64? = nil, inputAxes: [Int]? = nil, outputAxes: [Int]? = nil) {
    self.seed = seed
    self.inputAxes = inputAxes
    self.outputAxes = outputAxes
  }

  /// The equivalent ``VarianceScaling``.
  public var varianceScaling: VarianceScaling {
    VarianceScaling(
      checkedScale: 1, mode: .fanIn, distribution: .uniform, seed: seed,
      inputAxes: inputAxes, outputAxes: outputAxes)
  }

  /// Keras's class name, `"LecunUniform"`.
  public var name: String { "LecunUniform" }

  /// A tensor of `shape` with this initializer's values.
  public func callAsFunction(shape: [Int], generator: inout RandomGenerator) -> Tensor {
    varianceScaling(shape: shape, generator: &generator)
  }

  /// `{"seed", "input_axes", "output_axes"}`.
  public func getConfig() -> ConfigValue {
    ["seed": .seed(seed), "input_axes": .axes(inputAxes), "output_axes": .axes(outputAxes)]
  }
}

/// Values drawn from a truncated normal with standard deviation `sqrt(1 / fanIn)` after truncation, as `keras.initializers.LecunNormal`
/// (a ``VarianceScaling`` with scale 1, mode `.fanIn`, distribution `.truncatedNormal`).
public struct LecunNormal: Initializer, Sendable {
  /// The seed of the initializer's own generator, or nil to draw from the one passed in.
  public var seed: UInt64?
  /// The axes counted as input units; used only together with ``outputAxes``.
  public var inputAxes: [Int]?
  /// The axes counted as output units; used only together with ``inputAxes``.
  public var outputAxes: [Int]?

  /// Creates the initializer.
  public init(seed: UInt64? = nil, inputAxes: [Int]? = nil, outputAxes: [Int]? = nil) {
    self.seed = seed
    self.inputAxes = inputAxes
    self.outputAxes = outputAxes
  }

  /// The equivalent ``VarianceScaling``.
  public var varianceScaling: VarianceScaling {
    VarianceScaling(
      checkedScale: 1, mode: .fanIn, distribution: .truncatedNormal, seed: seed,
      inputAxes: inputAxes, outputAxes: outputAxes)
  }

  /// Keras's class name, `"LecunNormal"`.
  public var name: String { "LecunNormal" }

  /// A tensor of `shape` with this initializer's values.
  public func callAsFunction(shape: [Int], generator: inout RandomGenerator) -> Tensor {
    varianceScaling(shape: shape, generator: &generator)
  }

  /// `{"seed", "input_axes", "output_axes"}`.
  public func getConfig() -> ConfigValue {
    ["seed": .seed(seed), "input_axes": .axes(inputAxes), "output_axes": .axes(outputAxes)]
  }
}
