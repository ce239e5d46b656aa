import SwiftKerasCore

/// How a layer creates and maintains one of its weights: the initializer, an optional
/// penalty added to the loss and an optional projection after each update. A layer
/// declares one per weight (`@Config("kernel") var kernelOptions`), and the config gets
/// Keras's three keys `kernel_initializer`, `kernel_regularizer`, `kernel_constraint`.
///
/// ```swift
/// let options = WeightOptions(initializer: HeNormal(), regularizer: L2(1e-4))
/// let kernel = addWeight(name: "kernel", shape: [784, 10], options: options)
/// ```
public struct WeightOptions: ConfigCodable {
  /// How the weight's first value is drawn.
  public var initializer: any Initializer
  /// A penalty on the weight added to the loss.
  public var regularizer: (any Regularizer)?
  /// A projection of the weight after each optimizer step.
  public var constraint: (any Constraint)?
  /// Whether the config holds the initializer alone (BatchNormalization's moving
  /// statistics have no regularizer or constraint keys).
  public let initializerOnly: Bool

  /// Options with an initializer and, optionally, a penalty and a constraint.
  public init(
    initializer: any Initializer, regularizer: (any Regularizer)? = nil,
    constraint: (any Constraint)? = nil
  ) {
    self.initializer = initializer
    self.regularizer = regularizer
    self.constraint = constraint
    initializerOnly = false
  }

  /// Options for a weight whose config is only its initializer.
  public static func initializerOnly(_ initializer: any Initializer) -> WeightOptions {
    WeightOptions(initializer: initializer, initializerOnly: true)
  }

  private init(initializer: any Initializer, initializerOnly: Bool) {
    self.initializer = initializer
    self.initializerOnly = initializerOnly
  }

  public func encode(into config: inout [String: ConfigValue], key: String) {
    config[key + "_initializer"] = serialized(initializer)
    guard !initializerOnly else { return }
    config[key + "_regularizer"] = regularizer?.serialized ?? .null
    config[key + "_constraint"] = constraint?.serialized ?? .null
  }

  public mutating func decode(from config: LayerConfig, key: String) throws {
    initializer = try config.initializer(key + "_initializer", default: initializer)
    guard !initializerOnly else { return }
    regularizer = try config.regularizer(key + "_regularizer") ?? regularizer
    constraint = try config.constraint(key + "_constraint") ?? constraint
  }

  public static func isPresent(in config: LayerConfig, key: String) -> Bool { true }
}

extension Layer {
  /// Creates a weight with `options`' initializer, regularizer and constraint.
  @discardableResult
  public func addWeight(
    name: String, shape: [Int], options: WeightOptions, trainable: Bool = true
  ) -> Variable {
    addWeight(
      name: name, shape: shape, initializer: options.initializer,
      regularizer: options.regularizer, constraint: options.constraint, trainable: trainable)
  }
}
