import Foundation
import SwiftKerasCore
import SwiftKerasLayers
import SwiftKerasModels
import SwiftKerasTraining

/// Makes a layer from its Keras config, as a class's `from_config`.
public typealias LayerFactory = (LayerConfig) throws -> Layer

/// The layer classes ``modelFromJSON(_:)`` and ``loadModel(from:)`` can rebuild, by Keras
/// class name: the built-in layers plus those added with ``registerCustomLayer(name:factory:)``.
final class LayerRegistry: @unchecked Sendable {
  /// The process-wide registry.
  static let shared = LayerRegistry()

  private let lock = NSLock()
  private var custom: [String: LayerFactory] = [:]

  /// The factory for `className`, custom registrations first.
  func factory(for className: String) -> LayerFactory? {
    lock.lock()
    defer { lock.unlock() }
    return custom[className] ?? builtInLayerFactories[className]
  }

  /// Registers (or replaces) a custom factory.
  func register(_ className: String, _ factory: @escaping LayerFactory) {
    lock.lock()
    defer { lock.unlock() }
    custom[className] = factory
  }

  /// Every class name that can be rebuilt, sorted.
  var supportedClassNames: [String] {
    lock.lock()
    defer { lock.unlock() }
    return Set(custom.keys).union(builtInLayerFactories.keys).union(["Functional", "Sequential"])
      .sorted()
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
    let layer = try factory(LayerConfig(className: className, values: config))
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
