import Foundation

/// Values whose spread adapts to the weight's fan-in and fan-out, as
/// `keras.initializers.VarianceScaling`.
///
/// With `n` the fan-in, the fan-out or their average (by ``mode``) and
/// `s = scale / max(1, n)`:
/// - `.truncatedNormal`: a normal truncated at two standard deviations whose standard
///   deviation *after* truncation is `sqrt(s)`, that is `sqrt(s) / 0.87962566103423978`
///   before it;
/// - `.untruncatedNormal`: a normal with standard deviation `sqrt(s)`;
/// - `.uniform`: uniform in `[-sqrt(3 s), sqrt(3 s))`.
///
/// ```swift
/// let initializer = try VarianceScaling(scale: 2, mode: .fanOut, distribution: .uniform)
/// ```
public struct VarianceScaling: Initializer, Sendable {
  /// Which unit count divides the scale.
  public enum Mode: String, CaseIterable, Sendable {
    /// The number of input units.
    case fanIn = "fan_in"
    /// The number of output units.
    case fanOut = "fan_out"
    /// The average of the input and output unit counts.
    case fanAvg = "fan_avg"

    /// The mode with Keras's name (`"fan_in"`, `"fan_out"`, `"fan_avg"`).
    ///
    /// - Throws: ``SwiftKerasError`` listing the valid names.
    public init(identifier: String) throws {
      self = try caseNamed(identifier, kind: "VarianceScaling mode")
    }
  }

  /// The distribution the values are drawn from.
  public enum Distribution: String, CaseIterable, Sendable {
    /// A normal truncated at two standard deviations.
    case truncatedNormal = "truncated_normal"
    /// A plain normal.
    case untruncatedNormal = "untruncated_normal"
    /// A uniform distribution symmetric about zero.
    case uniform

    /// The distribution with Keras's name, case-insensitive; `"normal"` means
    /// `"truncated_normal"`, as in Keras.
    ///
    /// - Throws: ``SwiftKerasError`` listing the valid names.
    public init(identifier: String) throws {
      let lowered = identifier.lowercased()
      guard
        let distribution = lowered == "normal" ? .truncatedNormal : Distribution(rawValue: lowered)
      else {
        throw SwiftKerasError.unknownIdentifier(
          identifier, kind: "VarianceScaling distribution",
          valid: Distribution.allCases.map(\.rawValue) + ["normal"])
      }
      self = distribution
    }
  }

  /// The standard deviation of a standard normal truncated to `[-2, 2]`.
  static let truncatedStandardDeviation = 0.87962566103423978

  /// The scale of the variance (positive).
  public let scale: Float
  /// Which unit count divides the scale.
  public let mode: Mode
  /// The distribution the values are drawn from.
  public let distribution: Distribution
  /// The seed of the initializer's own generator, or nil to draw from the one passed in.
  public let seed: UInt64?
  /// The axes counted as input units; used only together with ``outputAxes``.
  public let inputAxes: [Int]?
  /// The axes counted as output units; used only together with ``inputAxes``.
  public let outputAxes: [Int]?

  /// Creates the initializer.
  ///
  /// - Throws: ``SwiftKerasError`` when `scale` is not a positive number.
  public init(
    scale: Float = 1, mode: Mode = .fanIn, distribution: Distribution = .truncatedNormal,
    seed: UInt64? = nil, inputAxes: [Int]? = nil, outputAxes: [Int]? = nil
  ) throws {
    guard scale > 0, scale.isFinite else {
      throw SwiftKerasError(
        .invalidArgument, "VarianceScaling: scale must be a positive number, got \(scale)")
    }
    self.init(
      checkedScale: scale, mode: mode, distribution: distribution, seed: seed,
      inputAxes: inputAxes, outputAxes: outputAxes)
  }

  /// Creates the initializer from Keras's string names for the mode and distribution.
  ///
  /// - Throws: ``SwiftKerasError`` for a non-positive scale or an unknown name.
  public init(
    scale: Float = 1, mode: String, distribution: String = "truncated_normal",
    seed: UInt64? = nil, inputAxes: [Int]? = nil, outputAxes: [Int]? = nil
  ) throws {
    try self.init(
      scale: scale, mode: try Mode(identifier: mode),
      distribution: try Distribution(identifier: distribution), seed: seed,
      inputAxes: inputAxes, outputAxes: outputAxes)
  }

  /// Creates the initializer from arguments known to be valid.
  init(
    checkedScale scale: Float, mode: Mode, distribution: Distribution, seed: UInt64?,
    inputAxes: [Int]?, outputAxes: [Int]?
  ) {
    self.scale = scale
    self.mode = mode
    self.distribution = distribution
    self.seed = seed
    self.inputAxes = inputAxes
    self.outputAxes = outputAxes
  }

  /// Keras's class name, `"VarianceScaling"`.
  public var name: String { "VarianceScaling" }

  /// The variance `scale / max(1, n)` for a weight of `shape`.
  func scaledVariance(for shape: [Int]) -> Double {
    let (fanIn, fanOut) = computeFans(shape, inputAxes: inputAxes, outputAxes: outputAxes)
    let units: Double
    switch mode {
    case .fanIn: units = Double(fanIn)
    case .fanOut: units = Double(fanOut)
    case .fanAvg: units = Double(fanIn + fanOut) / 2
    }
    return Double(scale) / Swift.max(1, units)
  }

  /// A tensor of `shape` with this initializer's values.
  public func callAsFunction(shape: [Int], generator: inout RandomGenerator) -> Tensor {
    let variance = scaledVariance(for: shape)
    return drawing(seed: seed, from: &generator) { rng in
      switch distribution {
      case .truncatedNormal:
        let stddev = variance.squareRoot() / VarianceScaling.truncatedStandardDeviation
        return Tensor.truncatedNormal(shape: shape, stddev: Float(stddev), generator: &rng)
      case .untruncatedNormal:
        return Tensor.randomNormal(
          shape: shape, stddev: Float(variance.squareRoot()), generator: &rng)
      case .uniform:
        let limit = Float((3 * variance).squareRoot())
        return Tensor.randomUniform(shape: shape, minval: -limit, maxval: limit, generator: &rng)
      }
    }
  }

  /// `{"seed", "scale", "mode", "distribution", "input_axes", "output_axes"}`.
  public func getConfig() -> ConfigValue {
    [
      "seed": .seed(seed), "scale": .number(scale), "mode": .string(mode.rawValue),
      "distribution": .string(distribution.rawValue), "input_axes": .axes(inputAxes),
      "output_axes": .axes(outputAxes),
    ]
  }
}
