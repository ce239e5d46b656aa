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
  // An empty config gives every argument Keras's default, so the config path serves both.
  try makeOptimizer(className: identifier, config: [:])
}
