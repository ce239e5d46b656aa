import SwiftKerasCore

/// The maximum over height and width: `[batch, height, width, channels]` becomes `[batch, channels]`, as `keras.layers.GlobalMaxPooling2D`.
///
/// ```swift
/// let y = try GlobalMaxPooling2D()(Tensor.zeros([2, 7, 7, 64]))   // [2, 64]
/// ```
public final class GlobalMaxPooling2D: BaseGlobalPooling, ConfigInitializable {
  public override class var rank: Int { 2 }
  override class var takesMaximum: Bool { true }
}
