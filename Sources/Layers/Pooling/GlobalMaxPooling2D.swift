import SwiftKerasCore

/// The maximum over height and width: `[batch, height, width, channels]` becomes `[batch, channels]`, as `keras.layers.GlobalMaxPooling2D`.
///
/// ```swift
/// let y = try GlobalMaxPooling2D()(Tensor.zeros([2, 7, 7, 64]))   // [2, 64]
/// ```
public final class GlobalMaxPooling2D: BaseGlobalPooling {
  /// Creates the layer.
  ///
  /// - Parameters:
  ///   - dataFormat: `"channels_last"` (the default) or `"channels_first"`.
  ///   - keepdims: whether the pooled axes are kept with extent 1.
  public init(dataFormat: String = "channels_last", keepdims: Bool = false, name: String? = nil) {
    super.init(
      rank: 2, dataFormat: dataFormat, keepdims: keepdims, takesMaximum: true, name: name)
  }
}
