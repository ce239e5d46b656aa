import SwiftKerasCore

/// A 2-D convolution layer, as `keras.layers.Conv2D` (channels last): `[batch, height, width, channels]` input becomes `[batch, outHeight, outWidth, filters]`.
/// The kernel has shape `[kernelSize..., inputChannels / groups, filters]` like Keras's.
///
/// ```swift
/// let y = try Conv2D(32, kernelSize: 3, activation: .relu)(Tensor.zeros([8, 28, 28, 1]))  // [8, 26, 26, 32]
/// ```
public final class Conv2D: BaseConv, ConfigInitializable {
  public override class var rank: Int { 2 }
}
