import SwiftKerasCore

/// Keras's nested form for a configurable object: `{"module", "class_name", "config",
/// "registered_name"}`, as `keras.saving.serialize_keras_object` writes it.
func serialized(
  module: String, className: String, config: [String: ConfigValue]
) -> ConfigValue {
  [
    "module": .string(module), "class_name": .string(className), "config": .object(config),
    "registered_name": nil,
  ]
}

/// The serialized form of an initializer.
func serialized(_ initializer: any Initializer) -> ConfigValue {
  serialized(
    module: "keras.initializers", className: initializer.name,
    config: initializer.getConfig().objectValue ?? [:])
}
