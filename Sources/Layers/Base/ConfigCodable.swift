import SwiftKerasCore

/// A value a layer's ``Config`` property can hold: it writes itself into a Keras config and
/// reads itself back. Most values are one entry (``ConfigValueConvertible``);
/// ``WeightOptions`` is three (`kernel_initializer`, `kernel_regularizer`,
/// `kernel_constraint`).
public protocol ConfigCodable {
  /// Writes the value into `config` under `key`.
  func encode(into config: inout [String: ConfigValue], key: String)
  /// Replaces the value with what `config` holds under `key`, leaving it as it is where
  /// the config has nothing.
  ///
  /// - Throws: ``SwiftKerasError`` naming the layer class, the key, what was expected and
  ///   what was found.
  mutating func decode(from config: LayerConfig, key: String) throws
  /// Whether `config` has a value for `key` (what a required property needs).
  static func isPresent(in config: LayerConfig, key: String) -> Bool
}

/// A config value that is one JSON entry: a number, a flag, a string, a list.
///
/// ```swift
/// extension Padding: ConfigValueConvertible {
///   init(configValue: ConfigValue) throws { … }
///   var configValue: ConfigValue { .string(rawValue) }
/// }
/// ```
public protocol ConfigValueConvertible: ConfigCodable {
  /// The value a config entry holds.
  ///
  /// - Throws: ``ConfigValueMismatch`` naming what was expected; the layer's reader turns
  ///   it into an error that names the layer and the key.
  init(configValue: ConfigValue) throws
  /// The entry Keras writes for the value.
  var configValue: ConfigValue { get }
}

/// Thrown by ``ConfigValueConvertible/init(configValue:)`` for an entry of the wrong kind.
public struct ConfigValueMismatch: Error {
  /// What the entry should have been, e.g. `"an integer"`.
  public let expected: String

  /// A mismatch with what was expected.
  public init(expected: String) { self.expected = expected }
}

extension ConfigValueConvertible {
  public func encode(into config: inout [String: ConfigValue], key: String) {
    config[key] = configValue
  }

  public mutating func decode(from config: LayerConfig, key: String) throws {
    guard let entry = config.values[key], entry != .null || Self.acceptsNull else { return }
    do {
      self = try Self(configValue: entry)
    } catch let mismatch as ConfigValueMismatch {
      throw config.error(key, expected: mismatch.expected)
    }
  }

  public static func isPresent(in config: LayerConfig, key: String) -> Bool {
    guard let entry = config.values[key] else { return false }
    return entry != .null || acceptsNull
  }

  /// Whether `null` is a value of this type (an optional) rather than "not given".
  static var acceptsNull: Bool { false }
}

extension Int: ConfigValueConvertible {
  public init(configValue: ConfigValue) throws {
    guard let value = configValue.intValue else {
      throw ConfigValueMismatch(expected: "an integer")
    }
    self = value
  }
  public var configValue: ConfigValue { .int(self) }
}

extension Float: ConfigValueConvertible {
  public init(configValue: ConfigValue) throws {
    guard let value = configValue.doubleValue else {
      throw ConfigValueMismatch(expected: "a number")
    }
    self = Float(value)
  }
  public var configValue: ConfigValue { .double(Double(self)) }
}

extension Double: ConfigValueConvertible {
  public init(configValue: ConfigValue) throws {
    guard let value = configValue.doubleValue else {
      throw ConfigValueMismatch(expected: "a number")
    }
    self = value
  }
  public var configValue: ConfigValue { .double(self) }
}

extension Bool: ConfigValueConvertible {
  public init(configValue: ConfigValue) throws {
    guard let value = configValue.boolValue else {
      throw ConfigValueMismatch(expected: "true or false")
    }
    self = value
  }
  public var configValue: ConfigValue { .bool(self) }
}

extension String: ConfigValueConvertible {
  public init(configValue: ConfigValue) throws {
    guard let value = configValue.stringValue else {
      throw ConfigValueMismatch(expected: "a string")
    }
    self = value
  }
  public var configValue: ConfigValue { .string(self) }
}

extension ConfigValue: ConfigValueConvertible {
  public init(configValue: ConfigValue) throws { self = configValue }
  public var configValue: ConfigValue { self }
  static var acceptsNull: Bool { true }
}

extension Array: ConfigCodable where Element: ConfigValueConvertible {}
extension Array: ConfigValueConvertible where Element: ConfigValueConvertible {
  /// A list; a single element is read as a list of one (Keras accepts `axis: -1` for
  /// `axis: [-1]`).
  public init(configValue: ConfigValue) throws {
    let items = configValue.arrayValue ?? [configValue]
    do {
      self = try items.map { try Element(configValue: $0) }
    } catch let mismatch as ConfigValueMismatch {
      throw ConfigValueMismatch(expected: "a list of \(mismatch.expected.replacingArticle())")
    }
  }
  public var configValue: ConfigValue { .array(map(\.configValue)) }
}

extension Optional: ConfigCodable where Wrapped: ConfigValueConvertible {}
extension Optional: ConfigValueConvertible where Wrapped: ConfigValueConvertible {
  /// `null` is nil.
  public init(configValue: ConfigValue) throws {
    self = configValue == .null ? nil : try Wrapped(configValue: configValue)
  }
  public var configValue: ConfigValue { self?.configValue ?? .null }
  static var acceptsNull: Bool { true }

  /// A `null` entry is nil (the protocol extension's reader, which skips nulls, is
  /// statically bound to its own `acceptsNull`, so an optional reads nulls here).
  public mutating func decode(from config: LayerConfig, key: String) throws {
    guard let entry = config.values[key] else { return }
    do {
      self = try Self(configValue: entry)
    } catch let mismatch as ConfigValueMismatch {
      throw config.error(key, expected: mismatch.expected)
    }
  }

  public static func isPresent(in config: LayerConfig, key: String) -> Bool {
    config.values[key] != nil
  }
}

extension IntOrTuple: ConfigValueConvertible {
  /// An integer or a list of integers.
  public init(configValue: ConfigValue) throws {
    self.init(try [Int](configValue: configValue))
  }
  public var configValue: ConfigValue { values.configValue }
}

extension ActivationFunction: ConfigValueConvertible {
  /// An activation name (`"relu"`), or Keras's `{"class_name": "function", "config":
  /// "relu"}` form.
  public init(configValue: ConfigValue) throws {
    guard let identifier = configValue.stringValue ?? configValue["config"]?.stringValue else {
      throw ConfigValueMismatch(expected: "an activation name")
    }
    try self.init(identifier)
  }
  public var configValue: ConfigValue { .string(name) }
}

extension String {
  /// `"an integer"` → `"integers"`, for the element description of a list.
  fileprivate func replacingArticle() -> String {
    var words = split(separator: " ").map(String.init)
    if ["a", "an"].contains(words.first) { words.removeFirst() }
    if let last = words.last, !last.hasSuffix("s") { words[words.count - 1] = last + "s" }
    return words.joined(separator: " ")
  }
}

/// One value or a list, written as Keras writes such arguments: a bare value when there is
/// one (`"axes": 1`, `"scale": 0.5`), else a list.
public struct OneOrList<Element: ConfigValueConvertible & Equatable & Sendable>:
  ConfigValueConvertible,
  Equatable, Sendable
{
  /// The values as given.
  public var values: [Element]

  /// The values as given.
  public init(_ values: [Element]) { self.values = values }

  public init(configValue: ConfigValue) throws { values = try [Element](configValue: configValue) }

  public var configValue: ConfigValue {
    values.count == 1 ? values[0].configValue : values.configValue
  }
}

extension UInt64: ConfigValueConvertible {
  /// A non-negative integer (random seeds).
  public init(configValue: ConfigValue) throws {
    guard let value = configValue.intValue, value >= 0 else {
      throw ConfigValueMismatch(expected: "a non-negative integer")
    }
    self = UInt64(value)
  }
  public var configValue: ConfigValue { .int(Int(truncatingIfNeeded: self)) }
}
