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

/// The serialized form of an optional regularizer.
func serialized(_ regularizer: (any Regularizer)?) -> ConfigValue {
  guard let regularizer else { return nil }
  return serialized(
    module: "keras.regularizers", className: regularizer.className, config: regularizer.getConfig())
}

/// The serialized form of an optional constraint.
func serialized(_ constraint: (any Constraint)?) -> ConfigValue {
  guard let constraint else { return nil }
  return serialized(
    module: "keras.constraints", className: constraint.className, config: constraint.getConfig())
}
