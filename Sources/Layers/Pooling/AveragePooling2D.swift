import SwiftKerasCore

/// The mean of each window of `[batch, height, width, channels]` input, per channel (with "same" padding, of the cells inside the input), as `keras.layers.AveragePooling2D` (channels last).
///
/// ```swift
/// let y = try AveragePooling2D(2)(Tensor.zeros([8, 26, 26, 32]))   // [8, 13, 13, 32]
/// ```
public final class AveragePooling2D: BasePooling, ConfigInitializable {
  public override class var rank: Int { 2 }
  override class var takesMaximum: Bool { false }
}
