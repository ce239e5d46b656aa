import SwiftKerasCore

/// The mean over height and width: `[batch, height, width, channels]` becomes `[batch, channels]`, as `keras.layers.GlobalAveragePooling2D`.
///
/// ```swift
/// let y = try GlobalAveragePooling2D()(Tensor.zeros([2, 7, 7, 64]))   // [2, 64]
/// ```
public final class GlobalAveragePooling2D: BaseGlobalPooling, ConfigInitializable {
  public override class var rank: Int { 2 }
  override class var takesMaximum: Bool { false }
}
