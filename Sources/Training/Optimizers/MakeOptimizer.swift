import SwiftKerasCore

/// The Keras identifiers ``makeOptimizer(_:)`` accepts.
public let optimizerIdentifiers = [
  "adadelta", "adagrad", "adam", "adamax", "adamw", "lion", "nadam", "rmsprop", "sgd",
]

/// Creates an optimizer with Keras's defaults from its Keras identifier, as
/// `keras.optimizers.get("adam")` (case-insensitive, so `"Adam"` and `"RMSprop"` work).
///
/// ```swift
/// let optimizer = try makeOptimizer("adam")   // Adam(learningRate: 0.001)
/// ```
///
/// - Throws: ``SwiftKerasError/Kind/unknownIdentifier`` listing the valid names.
public func makeOptimizer(_ identifier: String) throws -> Optimizer {
  switch identifier.lowercased() {
  case "sgd": return try SGD()
  case "adam": return try Adam()
  case "adamw": return try AdamW()
  case "rmsprop": return try RMSprop()
  case "adagrad": return try Adagrad()
  case "adadelta": return try Adadelta()
  case "adamax": return try Adamax()
  case "nadam": return try Nadam()
  case "lion": return try Lion()
  default:
    throw SwiftKerasError.unknownIdentifier(
      identifier, kind: "optimizer", valid: optimizerIdentifiers)
  }
}
