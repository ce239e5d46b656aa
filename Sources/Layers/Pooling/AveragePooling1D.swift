import SwiftKerasCore

/// The mean of each window of `[batch, steps, channels]` input, per channel (with "same" padding, of the cells inside the input), as `keras.layers.AveragePooling1D` (channels last).
///
/// ```swift
/// let y = try AveragePooling1D(2)(Tensor.zeros([8, 10, 4]))   // [8, 5, 4]
/// ```
public final class AveragePooling1D: BasePooling {
  /// Creates the layer.
  ///
  /// - Parameters:
  ///   - poolSize: the window extent, one integer or one per axis.
  ///   - strides: the step between windows; nil means the pool size.
  ///   - padding: `"valid"` or `"same"`.
  public init(
    _ poolSize: IntOrTuple = 2, strides: IntOrTuple? = nil, padding: String = "valid",
    name: String? = nil
  ) {
    super.init(
      rank: 1, poolSize: poolSize, strides: strides, padding: padding, takesMaximum: false,
      name: name)
  }
}
