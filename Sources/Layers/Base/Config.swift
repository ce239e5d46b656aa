import SwiftKerasCore

/// Marks a stored property of a layer as one of its Keras hyperparameters: the property is
/// the one place the hyperparameter is declared. ``Layer/getConfig()`` writes it and
/// ``Layer/init(config:)`` reads it back, under its Keras key (the property name in
/// snake_case, or the key given).
///
/// ```swift
/// public final class Scale: Layer, ConfigInitializable {
///   @Config public var factor: Float = 1          // "factor" in the config
///   @Config("use_bias") public var withBias = true
///
///   public convenience init(factor: Float, name: String? = nil) {
///     self.init(name: name)
///     self.factor = factor
///   }
/// }
/// ```
///
/// The value lives in a small box shared by the wrapper's copies, which is how
/// ``Layer/init(config:)`` sets it on the layer being created through `Mirror`.
@propertyWrapper
public struct Config<Value: ConfigCodable>: ConfigProperty {
  private let storage: ConfigStorage<Value>
  /// The Keras key, or nil for the snake_case form of the property name.
  public let key: String?
  /// Whether a config without this key is an error (Keras's positional arguments, such as
  /// Dense's `units`).
  public let required: Bool

  /// Declares a hyperparameter with its default value.
  public init(wrappedValue: Value, _ key: String? = nil, required: Bool = false) {
    storage = ConfigStorage(wrappedValue)
    self.key = key
    self.required = required
  }

  /// The hyperparameter's value.
  public var wrappedValue: Value {
    get { storage.value }
    nonmutating set { storage.value = newValue }
  }

  public func encode(into config: inout [String: ConfigValue], key: String) {
    storage.value.encode(into: &config, key: key)
  }

  public func validate() throws {
    // A string literal that named no activation waits until build to be reported.
    if let activation = storage.value as? ActivationFunction { _ = try activation.validated() }
  }

  public func decode(from config: LayerConfig, key: String) throws {
    guard Value.isPresent(in: config, key: key) else {
      if required { throw config.error(key, expected: "given (it has no default)") }
      return
    }
    try storage.value.decode(from: config, key: key)
  }
}

/// A ``Config`` property seen without its value type, as `Mirror` finds it.
public protocol ConfigProperty {
  /// The explicit Keras key, if any.
  var key: String? { get }
  /// Writes the value under `key`.
  func encode(into config: inout [String: ConfigValue], key: String)
  /// Reads the value from `config` under `key`.
  func decode(from config: LayerConfig, key: String) throws
  /// Throws for a value that was accepted when given but is invalid (an unknown
  /// activation name), when the layer is built.
  func validate() throws
}

private final class ConfigStorage<Value>: @unchecked Sendable {
  var value: Value
  init(_ value: Value) { self.value = value }
}

/// The ``Config`` properties of `object`'s class and its superclasses with their keys,
/// base class first.
func configProperties(of object: AnyObject) -> [(key: String, property: any ConfigProperty)] {
  var mirrors: [Mirror] = []
  var mirror: Mirror? = Mirror(reflecting: object)
  while let current = mirror {
    mirrors.append(current)
    mirror = current.superclassMirror
  }
  return mirrors.reversed().flatMap { mirror in
    mirror.children.compactMap { child -> (String, any ConfigProperty)? in
      guard let property = child.value as? any ConfigProperty, let label = child.label else {
        return nil
      }
      // A wrapped property's storage is labelled `_name`.
      return (property.key ?? snakeCase(String(label.drop(while: { $0 == "_" }))), property)
    }
  }
}
