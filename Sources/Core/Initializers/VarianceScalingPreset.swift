/// A ``VarianceScaling`` with a fixed scale, mode and distribution under a Keras class name
/// of its own: the type behind ``GlorotUniform``, ``GlorotNormal``, ``HeUniform``,
/// ``HeNormal``, ``LecunUniform`` and ``LecunNormal``, which differ only in their
/// ``VarianceScalingRule``.
///
/// ```swift
/// let kernel = GlorotUniform(seed: 1)   // VarianceScalingPreset<GlorotUniformRule>
/// ```
public struct VarianceScalingPreset<Rule: VarianceScalingRule>: Initializer, Sendable {
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
      checkedScale: Rule.rule.scale, mode: Rule.rule.mode, distribution: Rule.rule.distribution,
      seed: seed, inputAxes: inputAxes, outputAxes: outputAxes)
  }

  /// Keras's class name, such as `"GlorotUniform"`.
  public var name: String { Rule.rule.className }

  /// A tensor of `shape` with this initializer's values.
  public func callAsFunction(shape: [Int], generator: inout RandomGenerator) -> Tensor {
    varianceScaling(shape: shape, generator: &generator)
  }

  /// `{"seed", "input_axes", "output_axes"}`.
  public func getConfig() -> ConfigValue {
    ["seed": .seed(seed), "input_axes": .axes(inputAxes), "output_axes": .axes(outputAxes)]
  }
}

/// What makes a ``VarianceScalingPreset`` one of Keras's named initializers.
public protocol VarianceScalingRule: Sendable {
  /// The class name, scale, mode and distribution.
  static var rule: VarianceScalingRuleValues { get }
}

/// The fixed arguments of a named variance-scaling initializer.
public struct VarianceScalingRuleValues: Sendable {
  /// Keras's class name, such as `"HeNormal"`.
  public let className: String
  /// The scale (1 for Glorot and LeCun, 2 for He).
  public let scale: Float
  /// Which unit count divides the scale.
  public let mode: VarianceScaling.Mode
  /// The distribution the values are drawn from.
  public let distribution: VarianceScaling.Distribution
}
