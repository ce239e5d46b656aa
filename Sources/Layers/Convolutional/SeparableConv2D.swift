import SwiftKerasCore

/// A depthwise-separable 2-D convolution, as `keras.layers.SeparableConv2D` (channels
/// last): a depthwise convolution (each channel with its own `depthMultiplier` filters)
/// followed by a 1×1 convolution mixing channels into `filters` outputs.
///
/// ```swift
/// let y = try SeparableConv2D(32, kernelSize: 3, padding: "same")(Tensor.zeros([2, 8, 8, 16]))
/// ```
public final class SeparableConv2D: ConvolutionLayer, ConfigInitializable {
  /// The number of output channels.
  @Config(required: true) public var filters: Int = 0
  /// Depthwise output channels per input channel.
  @Config public var depthMultiplier: Int = 1
  /// How `depthwise` is initialised, regularized and constrained.
  @Config("depthwise") public var depthwiseOptions = WeightOptions(initializer: GlorotUniform())
  /// How `pointwise` is initialised, regularized and constrained.
  @Config("pointwise") public var pointwiseOptions = WeightOptions(initializer: GlorotUniform())

  /// The `[kh, kw, channels, depthMultiplier]` depthwise kernel (after build).
  public private(set) var depthwiseKernel: Variable?
  /// The `[1, 1, channels · depthMultiplier, filters]` pointwise kernel (after build).
  public private(set) var pointwiseKernel: Variable?
  /// The `[filters]` bias (after build, when `useBias`).
  public private(set) var bias: Variable?

  /// Creates the layer with Keras's defaults.
  public convenience init(
    _ filters: Int, kernelSize: any Sendable, strides: any Sendable = 1, padding: String = "valid",
    depthMultiplier: Int = 1, dilationRate: any Sendable = 1,
    activation: ActivationFunction = .linear, useBias: Bool = true,
    depthwiseInitializer: any Initializer = GlorotUniform(),
    pointwiseInitializer: any Initializer = GlorotUniform(),
    biasInitializer: any Initializer = Zeros(), depthwiseRegularizer: (any Regularizer)? = nil,
    pointwiseRegularizer: (any Regularizer)? = nil, biasRegularizer: (any Regularizer)? = nil,
    activityRegularizer: (any Regularizer)? = nil, depthwiseConstraint: (any Constraint)? = nil,
    pointwiseConstraint: (any Constraint)? = nil, biasConstraint: (any Constraint)? = nil,
    name: String? = nil
  ) {
    self.init(name: name)
    self.filters = filters
    setConvolutionArguments(
      rank: 2, kernelSize: kernelSize, strides: strides, padding: padding,
      dilationRate: dilationRate, activation: activation, useBias: useBias,
      bias: WeightOptions(biasInitializer, biasRegularizer, biasConstraint),
      activityRegularizer: activityRegularizer)
    self.depthMultiplier = depthMultiplier
    depthwiseOptions = WeightOptions(
      depthwiseInitializer, depthwiseRegularizer, depthwiseConstraint)
    pointwiseOptions = WeightOptions(
      pointwiseInitializer, pointwiseRegularizer, pointwiseConstraint)
  }

  public override func build(inputShape: Shape) throws {
    let label = "\(name)' (\(className)"
    let channels = try window.validate(
      inputShape: inputShape, depthMultiplier: depthMultiplier, layer: label)
    guard filters > 0 else {
      throw SwiftKerasError(
        .invalidArgument, "layer '\(label)): filters must be positive, got \(filters)")
    }
    depthwiseKernel = addWeight(
      name: "depthwise_kernel", shape: kernelSize + [channels, depthMultiplier],
      options: depthwiseOptions)
    pointwiseKernel = addWeight(
      name: "pointwise_kernel", shape: [1, 1, channels * depthMultiplier, filters],
      options: pointwiseOptions)
    if useBias {
      bias = addWeight(
        name: "bias", shape: [filters], options: biasOptions)
    }
  }

  public override func checkInputs(_ shapes: [[Int]]) throws {
    try window.check(shapes, expected: builtInputShapes[0], layer: "\(name)' (\(className)")
  }

  public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
    guard let depthwiseKernel, let pointwiseKernel else {
      throw SwiftKerasError(.invalidState, "layer '\(name)' (\(className)) is not built")
    }
    let output = conv2d(window.apply(input, depthwiseKernel.value), pointwiseKernel.value)
    return biasedActivation(output, bias: bias)
  }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    try window.outputShape(inputShapes[0], layer: "\(name)' (\(className)") + [filters]
  }
}
