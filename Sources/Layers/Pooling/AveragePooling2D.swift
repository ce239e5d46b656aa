import SwiftKerasCore

/// The mean of each window of `[batch, height, width, channels]` input, per channel (with "same" padding, of the cells inside the input), as `keras.layers.AveragePooling2D` (channels last).
///
/// ```swift
/// let y = try AveragePooling2D(2)(Tensor.zeros([8, 26, 26, 32]))   // [8, 13, 13, 32]
/// ```
public final class AveragePooling2D: BasePooling {
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
      rank: 2, poolSize: poolSize, strides: strides, padding: padding, takesMaximum: false,
      name: name)
  }
}
