import SwiftKerasCore

/// The mean over the steps of a sequence, as `keras.layers.GlobalAveragePooling1D`:
/// `[batch, steps, features]` becomes `[batch, features]` (or `[batch, 1, features]`
/// with `keepdims`).
///
/// ```swift
/// let y = try GlobalAveragePooling1D()(Tensor.zeros([2, 10, 8]))   // shape [2, 8]
/// ```
public final class GlobalAveragePooling1D: BaseGlobalPooling, ConfigInitializable {
  public override class var rank: Int { 1 }
  override class var takesMaximum: Bool { false }
}
