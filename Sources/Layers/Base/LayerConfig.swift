import SwiftKerasCore

/// A layer's Keras config (`{"name": ..., "units": ..., ...}`) with typed, throwing
/// accessors: ``Layer/init(config:)`` and custom factories read arguments through it, and a
/// missing or mistyped key becomes an error naming the layer class, the key, and what was
/// found. Regularizer and constraint configs are read through it too.
public struct LayerConfig {
  /// The Keras class name the config belongs to (for error messages).
  public let className: String
  /// The raw config dictionary.
  public let values: [String: ConfigValue]

  /// Wraps `values`, the config of a layer of class `className`.
  public init(className: String, values: [String: ConfigValue]) {
    self.className = className
    self.values = values
  }

  /// The typed reads, with errors that name the layer class and the key.
  private var reader: ConfigReader { ConfigReader(values, owner: "\(className) config") }

  /// The error for a value at `key` that is not `expected` (or is missing).
  package func error(_ key: String, expected: String) -> SwiftKerasError {
    reader.error(key, expected: expected)
  }

  private func present(_ key: String) -> ConfigValue? { reader.present(key) }

  /// The layer name, when the config has one.
  public var name: String? { values["name"]?.stringValue }

  /// A required integer.
  public func int(_ key: String) throws -> Int {
    try reader.required(key, reader.int(key), expected: "an integer")
  }

  /// An integer, or `defaultValue` when the key is absent or null.
  public func int(_ key: String, default defaultValue: Int) throws -> Int {
    try reader.int(key) ?? defaultValue
  }

  /// An optional integer (absent or null gives nil).
  public func optionalInt(_ key: String) throws -> Int? { try reader.int(key) }

  /// A float, or `defaultValue` when absent or null.
  public func float(_ key: String, default defaultValue: Float) throws -> Float {
    try reader.float(key) ?? defaultValue
  }

  /// A required float.
  public func float(_ key: String) throws -> Float {
    try reader.required(key, reader.float(key), expected: "a number")
  }

  /// An optional float (absent or null gives nil).
  public func optionalFloat(_ key: String) throws -> Float? { try reader.float(key) }

  /// A boolean, or `defaultValue` when absent or null.
  public func bool(_ key: String, default defaultValue: Bool) throws -> Bool {
    try reader.bool(key) ?? defaultValue
  }

  /// A string, or `defaultValue` when absent or null.
  public func string(_ key: String, default defaultValue: String) throws -> String {
    try reader.string(key) ?? defaultValue
  }

  /// A required list of integers.
  public func ints(_ key: String) throws -> [Int] {
    try reader.required(key, reader.ints(key), expected: "a list of integers")
  }

  /// An integer or a list of integers, as a list (Keras accepts both for `axis`).
  public func intOrInts(_ key: String, default defaultValue: [Int]) throws -> [Int] {
    guard let value = present(key) else { return defaultValue }
    if let single = value.intValue { return [single] }
    return try ints(key)
  }

  /// An optional list of integers (absent or null gives nil).
  public func optionalInts(_ key: String) throws -> [Int]? { try reader.ints(key) }

  /// An optional random seed.
  public func seed(_ key: String = "seed") throws -> UInt64? {
    guard let value = try optionalInt(key) else { return nil }
    guard value >= 0 else { throw error(key, expected: "a non-negative integer") }
    return UInt64(value)
  }

  /// An activation given by name (`"relu"`), or linear when absent.
  public func activation(_ key: String = "activation") throws -> ActivationFunction {
    guard let value = present(key) else { return .linear }
    if let identifier = value.stringValue { return try ActivationFunction(identifier) }
    // Keras may serialize an activation as {"class_name": "function", "config": "relu"}.
    if let identifier = value["config"]?.stringValue { return try ActivationFunction(identifier) }
    throw error(key, expected: "an activation name")
  }

  /// An initializer serialized as Keras does (or a bare identifier), or `defaultValue`.
  public func initializer(_ key: String, default defaultValue: any Initializer) throws
    -> any Initializer
  {
    guard let value = present(key) else { return defaultValue }
    if let identifier = value.stringValue { return try makeInitializer(identifier) }
    return try makeInitializer(config: value)
  }

  /// An optional regularizer (`L1`, `L2`, `L1L2`), serialized as Keras does.
  public func regularizer(_ key: String) throws -> (any Regularizer)? {
    guard let value = present(key) else { return nil }
    return try deserializeRegularizer(value, owner: "\(className) config '\(key)'")
  }

  /// An optional constraint (`MaxNorm`, `NonNeg`, `UnitNorm`, `MinMaxNorm`).
  public func constraint(_ key: String) throws -> (any Constraint)? {
    guard let value = present(key) else { return nil }
    return try deserializeConstraint(value, owner: "\(className) config '\(key)'")
  }
}
