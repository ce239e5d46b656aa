import SwiftKerasCore

/// The mean over height and width: `[batch, height, width, channels]` becomes `[batch, channels]`, as `keras.layers.GlobalAveragePooling2D`.
///
/// ```swift
/// let y = try GlobalAveragePooling2D()(Tensor.zeros([2, 7, 7, 64]))   // [2, 64]
/// ```
public final class GlobalAveragePooling2D: BaseGlobalPooling {
  /// Creates the layer.
  ///
  /// - Parameters:
  ///   - dataFormat: `"channels_last"` (the default) or `"channels_first"`.
  ///   - keepdims: whether the pooled axes are kept with extent 1.
  public init(dataFormat: String = "channels_last", keepdims: Bool = false, name: String? = nil) {
    super.init(
      rank: 2, dataFormat: dataFormat, keepdims: keepdims, takesMaximum: false, name: name)
  }
}
