import SwiftKerasCore

/// A 1-D (temporal) convolution layer, as `keras.layers.Conv1D` (channels last): `[batch, steps, channels]` input becomes `[batch, outSteps, filters]`.
/// The kernel has shape `[kernelSize..., inputChannels / groups, filters]` like Keras's.
///
/// ```swift
/// let y = try Conv1D(16, kernelSize: 3, padding: "causal")(Tensor.zeros([4, 20, 8]))  // [4, 20, 16]
/// ```
public final class Conv1D: BaseConv, ConfigInitializable {
  public override class var rank: Int { 1 }
  override class var paddings: [String] { ["valid", "same", "causal"] }
}
