import SwiftKerasCore

/// The mean of each window of `[batch, steps, channels]` input, per channel (with "same" padding, of the cells inside the input), as `keras.layers.AveragePooling1D` (channels last).
///
/// ```swift
/// let y = try AveragePooling1D(2)(Tensor.zeros([8, 10, 4]))   // [8, 5, 4]
/// ```
public final class AveragePooling1D: BasePooling, ConfigInitializable {
  public override class var rank: Int { 1 }
  override class var takesMaximum: Bool { false }
}
