// Initializers drawing from a fixed distribution, whatever the shape.

/// Normal values with a fixed mean and standard deviation, drawn as its ``NormalDraw``
/// draws them: the type behind ``RandomNormal`` and ``TruncatedNormal``, which differ only
/// in that (defaults mean 0, stddev 0.05).
///
/// ```swift
/// let kernel = RandomNormal(stddev: 0.02)   // NormalInitializer<PlainNormalDraw>
/// ```
public struct NormalInitializer<Draw: NormalDraw>: Initializer, Sendable {
  /// The mean of the values.
  public var mean: Float
  /// The standard deviation of the values (of the normal before any truncation).
  public var stddev: Float
  /// The seed of the initializer's own generator, or nil to draw from the one passed in.
  public var seed: UInt64?

  /// Creates the initializer.
  public init(mean: Float = 0, stddev: Float = 0.05, seed: UInt64? = nil) {
    self.mean = mean
    self.stddev = stddev
    self.seed = seed
  }

  /// Keras's class name, `"RandomNormal"` or `"TruncatedNormal"`.
  public var name: String { Draw.className }

  /// A tensor of `shape` with this initializer's values.
  public func callAsFunction(shape: [Int], generator: inout RandomGenerator) -> Tensor {
    drawing(seed: seed, from: &generator) {
      Draw.isTruncated
        ? Tensor.truncatedNormal(shape: shape, mean: mean, stddev: stddev, generator: &$0)
        : Tensor.randomNormal(shape: shape, mean: mean, stddev: stddev, generator: &$0)
    }
  }

  /// `{"seed", "mean", "stddev"}`.
  public func getConfig() -> ConfigValue {
    ["seed": .seed(seed), "mean": .number(mean), "stddev": .number(stddev)]
  }
}

/// Which normal a ``NormalInitializer`` draws from, and the Keras class it stands for.
public protocol NormalDraw: Sendable {
  /// Keras's class name, such as `"TruncatedNormal"`.
  static var className: String { get }
  /// Whether values beyond two standard deviations are redrawn.
  static var isTruncated: Bool { get }
}

/// The draw of ``RandomNormal``: a plain normal.
public enum PlainNormalDraw: NormalDraw {
  /// `"RandomNormal"`.
  public static let className = "RandomNormal"
  /// False: every draw is kept.
  public static let isTruncated = false
}

/// The draw of ``TruncatedNormal``: a normal redrawn until within two standard deviations.
public enum TruncatedNormalDraw: NormalDraw {
  /// `"TruncatedNormal"`.
  public static let className = "TruncatedNormal"
  /// True: draws beyond two standard deviations are redrawn.
  public static let isTruncated = true
}

/// Normal values with a fixed mean and standard deviation, as
/// `keras.initializers.RandomNormal` (defaults mean 0, stddev 0.05).
public typealias RandomNormal = NormalInitializer<PlainNormalDraw>

/// Normal values redrawn until within two standard deviations of the mean, as
/// `keras.initializers.TruncatedNormal` (defaults mean 0, stddev 0.05; `stddev` is that
/// of the normal before truncation).
public typealias TruncatedNormal = NormalInitializer<TruncatedNormalDraw>

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
