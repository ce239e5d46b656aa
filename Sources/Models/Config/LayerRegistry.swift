import Foundation
import SwiftKerasCore
import SwiftKerasLayers
import SwiftKerasTraining
import Synchronization

/// Makes a layer from its Keras config, as a class's `from_config`.
public typealias LayerFactory = @Sendable (LayerConfig) throws -> Layer

/// The layer classes ``modelFromJSON(_:)`` and ``loadModel(from:)`` can rebuild, by Keras
/// class name: the built-in layers, those added with ``registerCustomLayer(name:factory:)``,
/// and any ``ConfigInitializable`` class found by its Swift name (`Module>Class`, written
/// as the registered name of a layer that is not built in).
final class LayerRegistry: Sendable {
  /// The process-wide registry.
  static let shared = LayerRegistry()

  private let custom = Mutex<[String: LayerFactory]>([:])

  /// The factory for `className` (or a registered name `Module>Class`): custom
  /// registrations first, then a class found by its Swift name, then the built-in layers.
  func factory(for className: String) -> LayerFactory? {
    if let registered = custom.withLock({ $0[className] }) { return registered }
    if let type = configInitializableType(registeredName: className)
      ?? builtInLayerType(
        named: className)
    {
      return { try type.init(config: $0) }
    }
    return nil
  }

  /// Registers (or replaces) a custom factory.
  func register(_ className: String, _ factory: @escaping LayerFactory) {
    custom.withLock { $0[className] = factory }
  }

  /// Every class name that can be rebuilt, sorted.
  var supportedClassNames: [String] {
    Set(custom.withLock { Array($0.keys) }).union(builtInLayerTypes.map { $0.className })
      .union(["Functional", "Sequential"]).sorted()
  }

  /// Builds a layer of class `className` from `config`; an unknown class throws an error
  /// naming it and listing the supported ones.
  func makeLayer(className: String, config: [String: ConfigValue]) throws -> Layer {
    guard let factory = factory(for: className) else {
      throw SwiftKerasError(
        .unknownIdentifier,
        "unknown layer class '\(className)'; supported: \(supportedClassNames.joined(separator: ", ")). Register custom layers with registerCustomLayer(name:factory:)"
      )
    }
    let shortName = className.split(separator: ">").last.map(String.init) ?? className
    let layer = try factory(LayerConfig(className: shortName, values: config))
    if let trainable = config["trainable"]?.boolValue { layer.trainable = trainable }
    return layer
  }
}

/// Registers a custom layer class for ``modelFromJSON(_:)`` and ``loadModel(from:)``, as
/// Keras's `custom_objects` / `register_keras_serializable`.
///
/// ```swift
/// registerCustomLayer(name: "Scale") { config in
///   Scale(factor: try config.float("factor"), name: config.name)
/// }
/// ```
///
/// `name` is the `class_name` the config carries (the layer's ``Layer/className``).
public func registerCustomLayer(name: String, factory: @escaping LayerFactory) {
  LayerRegistry.shared.register(name, factory)
}

/// The layer class names that model configs may use (built-in and registered).
public var supportedLayerClassNames: [String] { LayerRegistry.shared.supportedClassNames }

/// The registered name Keras files carry for a layer class that is not built in:
/// `Module>Class`, as Keras's `package>name`, or nil for built-in and nested classes.
func registeredName(of layer: Layer) -> String? {
  guard builtInLayerType(named: layer.className) == nil else { return nil }
  let parts = String(reflecting: type(of: layer)).split(separator: ".")
  guard parts.count == 2 else { return layer.className }
  return "\(parts[0])>\(parts[1])"
}

/// The ``ConfigInitializable`` class named by a registered name `Module>Class`.
private func configInitializableType(registeredName: String) -> (any ConfigInitializable.Type)? {
  let parts = registeredName.split(separator: ">")
  guard parts.count == 2 else { return nil }
  return _typeByName("\(parts[0]).\(parts[1])") as? any ConfigInitializable.Type
}
