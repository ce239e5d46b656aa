import Foundation

/// A JSON value: what `getConfig()` returns, with Keras's key names, ready to be
/// written to a `.keras` file or compared with Keras's own configs.
///
/// ```swift
/// let config: ConfigValue = ["units": 128, "activation": "relu", "use_bias": true]
/// ```
public enum ConfigValue: Equatable, Sendable {
  case null
  case bool(Bool)
  case int(Int)
  case double(Double)
  case string(String)
  case array([ConfigValue])
  case object([String: ConfigValue])

  /// The value under `key` of an object, or nil.
  public subscript(key: String) -> ConfigValue? {
    if case .object(let dict) = self { return dict[key] }
    return nil
  }

  /// The number, as a Double, of an int or double value.
  public var doubleValue: Double? {
    switch self {
    case .int(let v): return Double(v)
    case .double(let v): return v
    default: return nil
    }
  }

  /// The integer of an int value, or of a double that is exactly an integer `Int` can
  /// hold (`3.0` yes; `3.5`, `1e300` and NaN no).
  public var intValue: Int? {
    switch self {
    case .int(let v): return v
    case .double(let v): return Int(exactly: v)
    default: return nil
    }
  }

  /// The string of a string value.
  public var stringValue: String? {
    if case .string(let v) = self { return v }
    return nil
  }

  /// The flag of a bool value.
  public var boolValue: Bool? {
    if case .bool(let v) = self { return v }
    return nil
  }

  /// The elements of an array value.
  public var arrayValue: [ConfigValue]? {
    if case .array(let v) = self { return v }
    return nil
  }

  /// The members of an object value.
  public var objectValue: [String: ConfigValue]? {
    if case .object(let v) = self { return v }
    return nil
  }
}

extension ConfigValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral,
  ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByStringLiteral,
  ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
  public init(nilLiteral: ()) { self = .null }
  public init(booleanLiteral value: Bool) { self = .bool(value) }
  public init(integerLiteral value: Int) { self = .int(value) }
  public init(floatLiteral value: Double) { self = .double(value) }
  public init(stringLiteral value: String) { self = .string(value) }
  public init(arrayLiteral elements: ConfigValue...) { self = .array(elements) }
  public init(dictionaryLiteral elements: (String, ConfigValue)...) {
    self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
  }
}

extension ConfigValue: Codable {
  public init(from decoder: Decoder) throws {
    let container = try decoder.singleValueContainer()
    if container.decodeNil() {
      self = .null
    } else if let v = try? container.decode(Bool.self) {
      self = .bool(v)
    } else if let v = try? container.decode(Int.self) {
      self = .int(v)
    } else if let v = try? container.decode(Double.self) {
      self = .double(v)
    } else if let v = try? container.decode(String.self) {
      self = .string(v)
    } else if let v = try? container.decode([ConfigValue].self) {
      self = .array(v)
    } else {
      self = .object(try container.decode([String: ConfigValue].self))
    }
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.singleValueContainer()
    switch self {
    case .null: try container.encodeNil()
    case .bool(let v): try container.encode(v)
    case .int(let v): try container.encode(v)
    case .double(let v): try container.encode(v)
    case .string(let v): try container.encode(v)
    case .array(let v): try container.encode(v)
    case .object(let v): try container.encode(v)
    }
  }
}

extension ConfigValue {
  /// The value as JSON text with sorted keys.
  public func jsonString(pretty: Bool = false) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted] : [.sortedKeys]
    guard let data = try? encoder.encode(self) else { return "null" }
    return String(decoding: data, as: UTF8.self)
  }

  /// Parses JSON text.
  public static func parse(json: String) throws -> ConfigValue {
    do {
      return try JSONDecoder().decode(ConfigValue.self, from: Data(json.utf8))
    } catch {
      throw SwiftKerasError(.invalidData, "invalid JSON: \(error)")
    }
  }
}
