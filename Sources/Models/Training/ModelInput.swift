import SwiftKerasCore

/// What `fit`, `evaluate` and `predict` take as `x` or `y`, written as in Keras: one
/// tensor, an array in the model's input (or output) order, or a dictionary by name.
///
/// ```swift
/// try model.fit(x: images, y: labels)
/// try model.fit(x: [images, metadata], y: [labels, boxes])
/// try model.fit(x: ["image": images, "meta": metadata], y: ["class": labels, "box": boxes])
/// ```
public protocol ModelInput {
  /// The tensors in the order of `names` (the model's input or output names).
  ///
  /// - Throws: ``SwiftKerasError`` naming a key the model does not have or a name the
  ///   dictionary lacks.
  func orderedTensors(names: [String], role: ModelInputRole, model: String) throws -> [Tensor]
}

/// Whether a ``ModelInput`` is read as inputs or as targets (for error messages).
public enum ModelInputRole: String, Sendable {
  /// The model's inputs (`x`).
  case input
  /// The targets of the model's outputs (`y`).
  case output
}

extension Tensor: ModelInput {
  public func orderedTensors(names: [String], role: ModelInputRole, model: String) -> [Tensor] {
    [self]
  }
}

extension Array: ModelInput where Element == Tensor {
  public func orderedTensors(names: [String], role: ModelInputRole, model: String) -> [Tensor] {
    self
  }
}

extension Dictionary: ModelInput where Key == String, Value == Tensor {
  public func orderedTensors(names: [String], role: ModelInputRole, model: String) throws
    -> [Tensor]
  {
    let listed = names.joined(separator: ", ")
    for key in keys where !names.contains(key) {
      throw SwiftKerasError(
        .invalidArgument,
        "model '\(model)' has no \(role.rawValue) named '\(key)'; \(role.rawValue)s: \(listed)")
    }
    return try names.map { key in
      guard let value = self[key] else {
        throw SwiftKerasError(
          .invalidArgument,
          "missing \(role == .input ? "input" : "target for output") '\(key)'; model '\(model)' has \(role.rawValue)s: \(listed)"
        )
      }
      return value
    }
  }
}
