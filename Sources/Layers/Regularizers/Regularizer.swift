import SwiftKerasCore

/// A penalty on a weight added to the training loss, as `keras.regularizers`.
public protocol Regularizer: SerializableObject {
  /// The penalty for `weight` (a scalar tensor, differentiable on the tape).
  func callAsFunction(_ weight: Tensor) -> Tensor
}

extension Regularizer {
  public static var module: String { "keras.regularizers" }
}

/// The regularizer types a config may name.
let regularizerTypes: [any Regularizer.Type] = [L1.self, L2.self, L1L2.self]

/// The regularizer a serialized config (or a class name) describes.
func deserializeRegularizer(_ value: ConfigValue, owner: String) throws -> any Regularizer {
  try deserialize(
    value, as: (any Regularizer).self, types: regularizerTypes, kind: "regularizer", owner: owner)
}

/// `l1 * sum(|w|)`.
public struct L1: Regularizer {
  /// The factor.
  public var l1: Float
  /// Creates an L1 penalty (Keras's default factor 0.01).
  public init(_ l1: Float = 0.01) { self.l1 = l1 }
  public func callAsFunction(_ weight: Tensor) -> Tensor { abs(weight).sum() * l1 }
  public static var className: String { "L1" }
  public init(config: LayerConfig) throws { l1 = try config.float("l1", default: 0.01) }
  public func getConfig() -> [String: ConfigValue] { ["l1": .double(Double(l1))] }
}

/// `l2 * sum(w²)`.
public struct L2: Regularizer {
  /// The factor.
  public var l2: Float
  /// Creates an L2 penalty (Keras's default factor 0.01).
  public init(_ l2: Float = 0.01) { self.l2 = l2 }
  public func callAsFunction(_ weight: Tensor) -> Tensor { square(weight).sum() * l2 }
  public static var className: String { "L2" }
  public init(config: LayerConfig) throws { l2 = try config.float("l2", default: 0.01) }
  public func getConfig() -> [String: ConfigValue] { ["l2": .double(Double(l2))] }
}

/// `l1 * sum(|w|) + l2 * sum(w²)`.
public struct L1L2: Regularizer {
  /// The L1 factor.
  public var l1: Float
  /// The L2 factor.
  public var l2: Float
  /// Creates a combined penalty (Keras's defaults are 0 for both).
  public init(l1: Float = 0, l2: Float = 0) {
    self.l1 = l1
    self.l2 = l2
  }
  public func callAsFunction(_ weight: Tensor) -> Tensor {
    abs(weight).sum() * l1 + square(weight).sum() * l2
  }
  public static var className: String { "L1L2" }
  public init(config: LayerConfig) throws {
    self.init(l1: try config.float("l1", default: 0), l2: try config.float("l2", default: 0))
  }
  public func getConfig() -> [String: ConfigValue] {
    ["l1": .double(Double(l1)), "l2": .double(Double(l2))]
  }
}

/// The regularizer for a Keras identifier: `"l1"`, `"l2"`, `"l1_l2"`.
public func makeRegularizer(_ identifier: String) throws -> any Regularizer {
  switch identifier {
  case "l1", "L1": return L1()
  case "l2", "L2": return L2()
  case "l1_l2", "L1L2": return L1L2(l1: 0.01, l2: 0.01)
  default:
    throw SwiftKerasError.unknownIdentifier(
      identifier, kind: "regularizer", valid: ["l1", "l2", "l1_l2"])
  }
}
