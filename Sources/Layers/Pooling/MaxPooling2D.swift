import SwiftKerasCore

/// The maximum of each window of `[batch, height, width, channels]` input, per channel, as `keras.layers.MaxPooling2D` (channels last).
///
/// ```swift
/// let y = try MaxPooling2D(2)(Tensor.zeros([8, 26, 26, 32]))   // [8, 13, 13, 32]
/// ```
public final class MaxPooling2D: BasePooling, ConfigInitializable {
  public override class var rank: Int { 2 }
  override class var takesMaximum: Bool { true }
}
