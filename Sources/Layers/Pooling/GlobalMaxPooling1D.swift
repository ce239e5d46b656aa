import SwiftKerasCore

/// The maximum over the steps of a sequence: `[batch, steps, features]` becomes `[batch, features]`, as `keras.layers.GlobalMaxPooling1D`.
///
/// ```swift
/// let y = try GlobalMaxPooling1D()(Tensor.zeros([2, 10, 8]))   // [2, 8]
/// ```
public final class GlobalMaxPooling1D: BaseGlobalPooling {
  /// Creates the layer.
  ///
  /// - Parameters:
  ///   - dataFormat: `"channels_last"` (the default) or `"channels_first"`.
  ///   - keepdims: whether the pooled axes are kept with extent 1.
  public init(dataFormat: String = "channels_last", keepdims: Bool = false, name: String? = nil) {
    super.init(
      rank: 1, dataFormat: dataFormat, keepdims: keepdims, takesMaximum: true, name: name)
  }
}
