import Foundation
import SwiftKerasCore

/// A projection applied to a weight after each optimizer step, as `keras.constraints`.
public protocol Constraint: SerializableObject {
  /// The constrained value of `weight`.
  func callAsFunction(_ weight: Tensor) -> Tensor
}

extension Constraint {
  public static var module: String { "keras.constraints" }
}

/// The constraint types a config may name.
let constraintTypes: [any Constraint.Type] = [
  MaxNorm.self, NonNeg.self, UnitNorm.self, MinMaxNorm.self,
]

/// The constraint a serialized config (or a class name) describes.
func deserializeConstraint(_ value: ConfigValue, owner: String) throws -> any Constraint {
  try deserialize(
    value, as: (any Constraint).self, types: constraintTypes, kind: "constraint", owner: owner)
}

/// Rescales each unit's incoming weights so their L2 norm is at most `maxValue`.
public struct MaxNorm: Constraint {
  /// The largest norm allowed.
  public var maxValue: Float
  /// The axis along which norms are taken (Keras's default 0).
  public var axis: Int
  /// Creates the constraint (Keras's defaults: max_value 2, axis 0).
  public init(maxValue: Float = 2, axis: Int = 0) {
    self.maxValue = maxValue
    self.axis = axis
  }
  public func callAsFunction(_ weight: Tensor) -> Tensor {
    let norms = sqrt(square(weight).sum(alongAxes: [axis], keepDims: true))
    let desired = clip(norms, 0, maxValue)
    return weight * (desired / (norms + 1e-7))
  }
  public static var className: String { "MaxNorm" }
  public init(config: LayerConfig) throws {
    self.init(
      maxValue: try config.float("max_value", default: 2), axis: try config.int("axis", default: 0))
  }
  public func getConfig() -> [String: ConfigValue] {
    ["max_value": .double(Double(maxValue)), "axis": .int(axis)]
  }
}

/// Sets negative weights to zero.
public struct NonNeg: Constraint {
  /// Creates the constraint.
  public init() {}
  public func callAsFunction(_ weight: Tensor) -> Tensor { weight * (weight .>= Float(0)) }
  public static var className: String { "NonNeg" }
  public init(config: LayerConfig) throws {}
  public func getConfig() -> [String: ConfigValue] { [:] }
}

/// Rescales each unit's incoming weights to unit L2 norm.
public struct UnitNorm: Constraint {
  /// The axis along which norms are taken (Keras's default 0).
  public var axis: Int
  /// Creates the constraint.
  public init(axis: Int = 0) { self.axis = axis }
  public func callAsFunction(_ weight: Tensor) -> Tensor {
    weight / (sqrt(square(weight).sum(alongAxes: [axis], keepDims: true)) + 1e-7)
  }
  public static var className: String { "UnitNorm" }
  public init(config: LayerConfig) throws { axis = try config.int("axis", default: 0) }
  public func getConfig() -> [String: ConfigValue] { ["axis": .int(axis)] }
}

/// Keeps each unit's norm within `[minValue, maxValue]`, moving it there at `rate`.
public struct MinMaxNorm: Constraint {
  /// The smallest norm allowed.
  public var minValue: Float
  /// The largest norm allowed.
  public var maxValue: Float
  /// How far to move towards the range each time (1 = all the way).
  public var rate: Float
  /// The axis along which norms are taken.
  public var axis: Int
  /// Creates the constraint (Keras's defaults: 0, 1, rate 1, axis 0).
  public init(minValue: Float = 0, maxValue: Float = 1, rate: Float = 1, axis: Int = 0) {
    self.minValue = minValue
    self.maxValue = maxValue
    self.rate = rate
    self.axis = axis
  }
  public func callAsFunction(_ weight: Tensor) -> Tensor {
    let norms = sqrt(square(weight).sum(alongAxes: [axis], keepDims: true))
    let desired = clip(norms, minValue, maxValue) * rate + norms * (1 - rate)
    return weight * (desired / (norms + 1e-7))
  }
  public static var className: String { "MinMaxNorm" }
  public init(config: LayerConfig) throws {
    self.init(
      minValue: try config.float("min_value", default: 0),
      maxValue: try config.float("max_value", default: 1),
      rate: try config.float("rate", default: 1), axis: try config.int("axis", default: 0))
  }
  public func getConfig() -> [String: ConfigValue] {
    [
      "min_value": .double(Double(minValue)), "max_value": .double(Double(maxValue)),
      "rate": .double(Double(rate)), "axis": .int(axis),
    ]
  }
}

/// The constraint for a Keras identifier: `"max_norm"`, `"non_neg"`, `"unit_norm"`,
/// `"min_max_norm"`.
public func makeConstraint(_ identifier: String) throws -> any Constraint {
  switch identifier {
  case "max_norm", "MaxNorm": return MaxNorm()
  case "non_neg", "NonNeg": return NonNeg()
  case "unit_norm", "UnitNorm": return UnitNorm()
  case "min_max_norm", "MinMaxNorm": return MinMaxNorm()
  default:
    throw SwiftKerasError.unknownIdentifier(
      identifier, kind: "constraint", valid: ["max_norm", "min_max_norm", "non_neg", "unit_norm"])
  }
}
