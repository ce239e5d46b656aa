import SwiftKerasCore

/// A small object Keras serializes as `{"module", "class_name", "config"}` and rebuilds from
/// its class name: regularizers and constraints. Each type reads and writes its own config.
public protocol SerializableObject {
  /// Keras's class name, e.g. `L2`.
  static var className: String { get }
  /// Keras's module, e.g. `keras.regularizers`.
  static var module: String { get }
  /// The object from its config's fields.
  ///
  /// - Throws: ``SwiftKerasError`` naming the class and the field when a field has the
  ///   wrong type.
  init(config: LayerConfig) throws
  /// The configuration with Keras's keys.
  func getConfig() -> [String: ConfigValue]
}

extension SerializableObject {
  /// Keras's class name of this object.
  public var className: String { Self.className }

  /// The nested form `keras.saving.serialize_keras_object` writes.
  public var serialized: ConfigValue {
    SwiftKerasLayers.serialized(module: Self.module, className: Self.className, config: getConfig())
  }
}

/// The object `value` describes (a serialized object, or a bare class name such as
/// `"L2"` or its snake_case form `"l2"`), one of `types`.
func deserialize(
  _ value: ConfigValue, types: [any SerializableObject.Type], kind: String, owner: String
) throws -> any SerializableObject {
  let name: String
  let fields: [String: ConfigValue]
  if let identifier = value.stringValue {
    (name, fields) = (identifier, [:])
  } else if let className = value["class_name"]?.stringValue {
    (name, fields) = (className, value["config"]?.objectValue ?? [:])
  } else {
    throw SwiftKerasError(
      .invalidData,
      "\(owner): expected a serialized \(kind) with 'class_name' and 'config', got \(value.jsonString())"
    )
  }
  guard let type = types.first(where: { $0.className == name || snakeCase($0.className) == name })
  else {
    throw SwiftKerasError(
      .unknownIdentifier,
      "\(owner): unknown \(kind) '\(name)'; supported: \(types.map { $0.className }.joined(separator: ", "))"
    )
  }
  return try type.init(config: LayerConfig(className: type.className, values: fields))
}
