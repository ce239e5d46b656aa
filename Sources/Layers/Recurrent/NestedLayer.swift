import SwiftKerasCore

/// A layer held in another layer's config, as Keras serializes an RNN's `cell` or a
/// wrapper's `layer`: `{"module", "class_name", "config", "registered_name",
/// "build_config"}`. Reading one rebuilds a built-in class by its Keras name or a
/// ``ConfigInitializable`` class by its registered name `Module>Class`.
public struct NestedLayer: ConfigValueConvertible {
  /// The layer, or nil when none is given.
  public var layer: Layer?

  /// Wraps `layer`.
  public init(_ layer: Layer? = nil) { self.layer = layer }

  /// The layer a serialized entry describes: a built-in class by its Keras name, or a
  /// `ConfigInitializable` class by its registered name.
  public init(configValue: ConfigValue) throws {
    layer = try deserializeNestedLayer(configValue)
  }

  /// The serialized layer, or null.
  public var configValue: ConfigValue { layer.map(serializeNestedLayer) ?? .null }
}

/// The serialized form of `layer` inside another layer's config.
func serializeNestedLayer(_ layer: Layer) -> ConfigValue {
  var entry: [String: ConfigValue] = [
    "module": "keras.layers", "class_name": .string(type(of: layer).serializedClassName),
    "config": .object(layer.getConfig()), "registered_name": nil,
  ]
  if builtInLayerType(named: layer.className) == nil {
    let parts = String(reflecting: type(of: layer)).split(separator: ".")
    entry["module"] = nil
    entry["registered_name"] = .string(
      parts.count == 2 ? "\(parts[0])>\(parts[1])" : layer.className)
  }
  if layer.built, let shape = layer.builtInputShapes.first {
    entry["build_config"] = ["input_shape": .array(shape.map { $0.map { .int($0) } ?? .null })]
  }
  return .object(entry)
}

/// The layer a nested config describes: a built-in class by name, or a
/// ``ConfigInitializable`` class by its registered name `Module>Class`.
func deserializeNestedLayer(_ value: ConfigValue) throws -> Layer {
  guard let className = value["class_name"]?.stringValue,
    let config = value["config"]?.objectValue
  else {
    throw ConfigValueMismatch(expected: "a serialized layer with 'class_name' and 'config'")
  }
  let registered = value["registered_name"]?.stringValue
  var type: (any ConfigInitializable.Type)? = builtInLayerType(named: className)
  if type == nil, let registered {
    let parts = registered.split(separator: ">")
    if parts.count == 2 {
      type = _typeByName("\(parts[0]).\(parts[1])") as? any ConfigInitializable.Type
    }
  }
  guard let type else {
    throw ConfigValueMismatch(
      expected:
        "a built-in layer class or a ConfigInitializable class by registered name (found '\(registered ?? className)')"
    )
  }
  let layer = try type.init(config: LayerConfig(className: className, values: config))
  if let shape = value["build_config"]?["input_shape"]?.arrayValue {
    let built: Shape = shape.map { $0.intValue }
    try layer.ensureBuilt(inputShapes: [built])
  }
  return layer
}
