// TEMPORARY: stand-ins for the Activation and Initializer API being written on the
// act-init branch. Deleted when that branch is merged.
import SwiftKerasCore

public enum Activation {
  case linear, relu, softmax, sigmoid, tanh
  public init(_ name: String) throws { self = .relu }
  public var name: String { "\(self)" }
  public func callAsFunction(_ x: Tensor) -> Tensor {
    switch self {
    case .linear: return x
    case .relu: return maximum(x, Tensor(0))
    case .softmax: return x.softmax()
    case .sigmoid: return 1 / (1 + exp(-x))
    case .tanh: return x
    }
  }
}

public protocol Initializer {
  func callAsFunction(shape: [Int], generator: inout RandomGenerator) -> Tensor
  var name: String { get }
  func getConfig() -> ConfigValue
}
public struct GlorotUniform: Initializer {
  public init(seed: UInt64? = nil) {}
  public func callAsFunction(shape: [Int], generator: inout RandomGenerator) -> Tensor {
    let limit = (6 / Float(shape[0] + shape[shape.count - 1])).squareRoot()
    return Tensor.randomUniform(shape: shape, minval: -limit, maxval: limit, generator: &generator)
  }
  public var name: String { "GlorotUniform" }
  public func getConfig() -> ConfigValue { ["seed": nil] }
}
public struct Zeros: Initializer {
  public init() {}
  public func callAsFunction(shape: [Int], generator: inout RandomGenerator) -> Tensor { .zeros(shape) }
  public var name: String { "Zeros" }
  public func getConfig() -> ConfigValue { [:] }
}
public struct Ones: Initializer {
  public init() {}
  public func callAsFunction(shape: [Int], generator: inout RandomGenerator) -> Tensor { .ones(shape) }
  public var name: String { "Ones" }
  public func getConfig() -> ConfigValue { [:] }
}
public func makeInitializer(_ name: String) throws -> any Initializer { GlorotUniform() }
