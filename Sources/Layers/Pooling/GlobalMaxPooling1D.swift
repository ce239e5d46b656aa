import SwiftKerasCore

/// The maximum over the steps of a sequence: `[batch, steps, features]` becomes `[batch, features]`, as `keras.layers.GlobalMaxPooling1D`.
///
/// ```swift
/// let y = try GlobalMaxPooling1D()(Tensor.zeros([2, 10, 8]))   // [2, 8]
/// ```
public final class GlobalMaxPooling1D: BaseGlobalPooling, ConfigInitializable {
  public override class var rank: Int { 1 }
  override class var takesMaximum: Bool { true }
}
