import SwiftKerasCore

/// A depthwise 2-D convolution, as `keras.layers.DepthwiseConv2D` (channels last): each
/// input channel is convolved with its own `depthMultiplier` filters, so `[batch,
/// height, width, channels]` becomes `[batch, outHeight, outWidth, channels ·
/// depthMultiplier]`. The kernel has shape `[kh, kw, channels, depthMultiplier]`.
///
/// ```swift
/// let y = try DepthwiseConv2D(kernelSize: 3, padding: "same")(Tensor.zeros([2, 8, 8, 16]))
/// ```
public final class DepthwiseConv2D: ConvolutionLayer, ConfigInitializable {
  /// Output channels per input channel.
  @Config public var depthMultiplier: Int = 1
  /// How `depthwise` is initialised, regularized and constrained.
  @Config("depthwise") public var depthwiseOptions = WeightOptions(initializer: GlorotUniform())

  /// The `[kh, kw, channels, depthMultiplier]` kernel (after build).
  public private(set) var kernel: Variable?
  /// The `[channels · depthMultiplier]` bias (after build, when `useBias`).
  public private(set) var bias: Variable?

  /// Creates the layer with Keras's defaults.
  public convenience init(
    kernelSize: any Sendable, strides: any Sendable = 1, padding: String = "valid",
    depthMultiplier: Int = 1, dilationRate: any Sendable = 1,
    activation: ActivationFunction = .linear, useBias: Bool = true,
    depthwiseInitializer: any Initializer = GlorotUniform(),
    biasInitializer: any Initializer = Zeros(), depthwiseRegularizer: (any Regularizer)? = nil,
    biasRegularizer: (any Regularizer)? = nil, activityRegularizer: (any Regularizer)? = nil,
    depthwiseConstraint: (any Constraint)? = nil, biasConstraint: (any Constraint)? = nil,
    name: String? = nil
  ) {
    self.init(name: name)
    setConvolutionArguments(
      rank: 2, kernelSize: kernelSize, strides: strides, padding: padding,
      dilationRate: dilationRate, activation: activation, useBias: useBias,
      bias: WeightOptions(biasInitializer, biasRegularizer, biasConstraint),
      activityRegularizer: activityRegularizer)
    self.depthMultiplier = depthMultiplier
    depthwiseOptions = WeightOptions(
      depthwiseInitializer, depthwiseRegularizer, depthwiseConstraint)
  }

  public override func build(inputShape: Shape) throws {
    let channels = try window.validate(
      inputShape: inputShape, depthMultiplier: depthMultiplier, layer: "\(name)' (\(className)")
    kernel = addWeight(
      name: "kernel", shape: kernelSize + [channels, depthMultiplier],
      options: depthwiseOptions)
    if useBias {
      bias = addWeight(
        name: "bias", shape: [channels * depthMultiplier], options: biasOptions)
    }
  }

  public override func checkInputs(_ shapes: [[Int]]) throws {
    try window.check(shapes, expected: builtInputShapes[0], layer: "\(name)' (\(className)")
  }

  public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
    guard let kernel else {
      throw SwiftKerasError(.invalidState, "layer '\(name)' (\(className)) is not built")
    }
    let output = window.apply(input, kernel.value)
    return biasedActivation(output, bias: bias)
  }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    let shape = inputShapes[0]
    return try window.outputShape(shape, layer: "\(name)' (\(className)")
      + [(shape.last ?? nil).map { $0 * depthMultiplier }]
  }
}
