import SwiftKerasCore

/// A set of slot variables an optimizer creates per model variable, as one Keras
/// `add_optimizer_variables(variables, names, initializer)` call: for each variable, one
/// slot per name (interleaved, as Keras orders them), filled with `initialValue`.
///
/// ```swift
/// SlotGroup(["momentum", "velocity"])                   // Adam
/// SlotGroup(["accumulator"], initialValue: 0.1)         // Adagrad
/// ```
public struct SlotGroup {
  /// The slot names, e.g. `["momentum", "velocity"]`.
  public var names: [String]
  /// The value every slot starts with.
  public var initialValue: Float

  /// Creates a group of slots named `names` starting at `initialValue`.
  public init(_ names: [String], initialValue: Float = 0) {
    self.names = names
    self.initialValue = initialValue
  }
}
