import SwiftKerasCore

/// A 1-D (temporal) convolution layer, as `keras.layers.Conv1D` (channels last): `[batch, steps, channels]` input becomes `[batch, outSteps, filters]`.
/// The kernel has shape `[kernelSize..., inputChannels / groups, filters]` like Keras's.
///
/// ```swift
/// let y = try Conv1D(16, kernelSize: 3, padding: "causal")(Tensor.zeros([4, 20, 8]))  // [4, 20, 16]
/// ```
public final class Conv1D: BaseConv {
  /// Creates the layer with Keras's defaults.
  ///
  /// - Parameters:
  ///   - filters: the number of output channels.
  ///   - kernelSize: the window extent, one integer or one per axis.
  ///   - strides: the step between windows.
  ///   - padding: `"valid"`, `"same"` or `"causal"` (left padding only, so step t sees no later steps).
  ///   - dilationRate: the spacing between kernel taps (not combined with strides > 1).
  ///   - groups: channel groups convolved separately; divides input channels and filters.
  public init(
    _ filters: Int, kernelSize: IntOrTuple, strides: IntOrTuple = 1, padding: String = "valid",
    dilationRate: IntOrTuple = 1, groups: Int = 1, activation: ActivationFunction = .linear,
    useBias: Bool = true, kernelInitializer: any Initializer = GlorotUniform(),
    biasInitializer: any Initializer = Zeros(), kernelRegularizer: (any Regularizer)? = nil,
    biasRegularizer: (any Regularizer)? = nil, activityRegularizer: (any Regularizer)? = nil,
    kernelConstraint: (any Constraint)? = nil, biasConstraint: (any Constraint)? = nil,
    name: String? = nil
  ) {
    super.init(
      rank: 1, filters: filters, kernelSize: kernelSize, strides: strides, padding: padding,
      dilationRate: dilationRate, groups: groups, activation: activation, useBias: useBias,
      kernelInitializer: kernelInitializer, biasInitializer: biasInitializer,
      kernelRegularizer: kernelRegularizer, biasRegularizer: biasRegularizer,
      activityRegularizer: activityRegularizer, kernelConstraint: kernelConstraint,
      biasConstraint: biasConstraint, name: name)
  }
}
