// Initializers drawing from a fixed distribution, whatever the shape.

/// Normal values with a fixed mean and standard deviation, as
/// `keras.initializers.RandomNormal` (defaults mean 0, stddev 0.05).
public struct RandomNormal: Initializer, Sendable {
  /// The mean of the values.
  public var mean: Float
  /// The standard deviation of the values.
  public var stddev: Float
  /// The seed of the initializer's own generator, or nil to draw from the one passed in.
  public var seed: UInt64?

  /// Creates the initializer.
  public init(mean: Float = 0, stddev: Float = 0.05, seed: UInt64? = nil) {
    self.mean = mean
    self.stddev = stddev
    self.seed = seed
  }

  /// Keras's class name, `"RandomNormal"`.
  public var name: String { "RandomNormal" }

  /// A tensor of `shape` with this initializer's values.
  public func callAsFunction(shape: [Int], generator: inout RandomGenerator) -> Tensor {
    drawing(seed: seed, from: &generator) {
      Tensor.randomNormal(shape: shape, mean: mean, stddev: stddev, generator: &$0)
    }
  }

  /// `{"seed", "mean", "stddev"}`.
  public func getConfig() -> ConfigValue {
    ["seed": .seed(seed), "mean": .number(mean), "stddev": .number(stddev)]
  }
}

/// Uniform values in `[minval, maxval)`, as `keras.initializers.RandomUniform`
/// (defaults -0.05 and 0.05).
public struct RandomUniform: Initializer, Sendable {
  /// The lower bound (inclusive).
  public var minval: Float
  /// The upper bound (exclusive).
  public var maxval: Float
  /// The seed of the initializer's own generator, or nil to draw from the one passed in.
  public var seed: UInt64?

  /// Creates the initializer.
  public init(minval: Float = -0.05, maxval: Float = 0.05, seed: UInt64? = nil) {
    self.minval = minval
    self.maxval = maxval
    self.seed = seed
  }

  /// Keras's class name, `"RandomUniform"`.
  public var name: String { "RandomUniform" }

  /// A tensor of `shape` with this initializer's values.
  public func callAsFunction(shape: [Int], generator: inout RandomGenerator) -> Tensor {
    drawing(seed: seed, from: &generator) {
      Tensor.randomUniform(shape: shape, minval: minval, maxval: maxval, generator: &$0)
    }
  }

  /// `{"seed", "minval", "maxval"}`.
  public func getConfig() -> ConfigValue {
    ["seed": .seed(seed), "minval": .number(minval), "maxval": .number(maxval)]
  }
}

/// Normal values redrawn until within two standard deviations of the mean, as
/// `keras.initializers.TruncatedNormal` (defaults mean 0, stddev 0.05; `stddev` is that
/// of the normal before truncation).
public struct TruncatedNormal: Initializer, Sendable {
  /// The mean of the values.
  public var mean: Float
  /// The standard deviation of the normal before truncation.
  public var stddev: Float
  /// The seed of the initializer's own generator, or nil to draw from the one passed in.
  public var seed: UInt64?

  /// Creates the initializer.
  public init(mean: Float = 0, stddev: Float = 0.05, seed: UInt64? = nil) {
    self.mean = mean
    self.stddev = stddev
    self.seed = seed
  }

  /// Keras's class name, `"TruncatedNormal"`.
  public var name: String { "TruncatedNormal" }

  /// A tensor of `shape` with this initializer's values.
  public func callAsFunction(shape: [Int], generator: inout RandomGenerator) -> Tensor {
    drawing(seed: seed, from: &generator) {
      Tensor.truncatedNormal(shape: shape, mean: mean, stddev: stddev, generator: &$0)
    }
  }

  /// `{"seed", "mean", "stddev"}`.
  public func getConfig() -> ConfigValue {
    ["seed": .seed(seed), "mean": .number(mean), "stddev": .number(stddev)]
  }
}
