import SwiftKerasCore

/// The maximum of each window of `[batch, steps, channels]` input, per channel, as `keras.layers.MaxPooling1D` (channels last).
///
/// ```swift
/// let y = try MaxPooling1D(2)(Tensor.zeros([8, 10, 4]))   // [8, 5, 4]
/// ```
public final class MaxPooling1D: BasePooling, ConfigInitializable {
  public override class var rank: Int { 1 }
  override class var takesMaximum: Bool { true }
}
