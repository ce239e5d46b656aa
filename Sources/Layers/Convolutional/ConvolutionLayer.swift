import SwiftKerasCore

/// What every convolution layer shares (``Conv1D``, ``Conv2D``, ``Conv2DTranspose``,
/// ``DepthwiseConv2D``, ``SeparableConv2D``): the window, the activation and the bias,
/// under the config keys Keras gives all of them.
public class ConvolutionLayer: Layer {
  /// The window: kernel size, strides, padding and dilation.
  @Config("window") public var window = ConvolutionWindow()
  /// The activation applied to the output.
  @Config public var activation = ActivationFunction.linear
  /// Whether a bias vector is added.
  @Config public var useBias = true
  /// The bias's initializer (zeros by default), regularizer and constraint.
  @Config("bias") public var biasOptions = WeightOptions(initializer: Zeros())

  /// The window extent per spatial axis.
  public var kernelSize: [Int] { window.kernelSize }
  /// The step between windows per spatial axis (the upsampling step of a transposed
  /// convolution).
  public var strides: [Int] { window.strides }
  /// `"valid"`, `"same"` (or `"causal"` for ``Conv1D``).
  public var padding: String { window.padding }
  /// The spacing between kernel taps per spatial axis.
  public var dilationRate: [Int] { window.dilationRate }

  public override class var configListsActivityRegularizer: Bool { true }

  /// Sets the arguments every convolution's initializer takes, as the user wrote them;
  /// they are checked when the layer is built.
  func setConvolutionArguments(
    rank: Int, kernelSize: any Sendable, strides: any Sendable, padding: String,
    dilationRate: any Sendable, activation: ActivationFunction, useBias: Bool,
    bias: WeightOptions, activityRegularizer: (any Regularizer)?
  ) {
    window = ConvolutionWindow(
      rank: rank, kernelSize: kernelSize, strides: strides, padding: padding,
      dilationRate: dilationRate)
    self.activation = activation
    self.useBias = useBias
    biasOptions = bias
    self.activityRegularizer = activityRegularizer
  }

  /// `output` plus `bias` (when there is one), through the activation.
  func biasedActivation(_ output: Tensor, bias: Variable?) -> Tensor {
    activation(bias.map { output + $0.value } ?? output)
  }
}
