import SwiftKerasCore

/// A depthwise-separable 2-D convolution, as `keras.layers.SeparableConv2D` (channels
/// last): a depthwise convolution (each channel with its own `depthMultiplier` filters)
/// followed by a 1×1 convolution mixing channels into `filters` outputs.
///
/// ```swift
/// let y = try SeparableConv2D(32, kernelSize: 3, padding: "same")(Tensor.zeros([2, 8, 8, 16]))
/// ```
public final class SeparableConv2D: Layer {
  /// The number of output channels.
  public let filters: Int
  /// The window extent per spatial axis.
  public let kernelSize: [Int]
  /// The step between windows per spatial axis.
  public let strides: [Int]
  /// `"valid"` or `"same"`.
  public let padding: String
  /// Depthwise output channels per input channel.
  public let depthMultiplier: Int
  /// The spacing between kernel taps per spatial axis.
  public let dilationRate: [Int]
  /// The activation applied to the output.
  public let activation: ActivationFunction
  /// Whether a bias vector is added.
  public let useBias: Bool
  /// How the depthwise kernel is initialised (Glorot uniform by default).
  public let depthwiseInitializer: any Initializer
  /// How the pointwise kernel is initialised (Glorot uniform by default).
  public let pointwiseInitializer: any Initializer
  /// How the bias is initialised (zeros by default).
  public let biasInitializer: any Initializer
  /// A penalty on the depthwise kernel added to the loss.
  public let depthwiseRegularizer: (any Regularizer)?
  /// A penalty on the pointwise kernel added to the loss.
  public let pointwiseRegularizer: (any Regularizer)?
  /// A penalty on the bias added to the loss.
  public let biasRegularizer: (any Regularizer)?
  /// A penalty on the layer's output added to the loss.
  public let activityRegularizer: (any Regularizer)?
  /// A projection of the depthwise kernel after each update.
  public let depthwiseConstraint: (any Constraint)?
  /// A projection of the pointwise kernel after each update.
  public let pointwiseConstraint: (any Constraint)?
  /// A projection of the bias after each update.
  public let biasConstraint: (any Constraint)?

  /// The `[kh, kw, channels, depthMultiplier]` depthwise kernel (after build).
  public private(set) var depthwiseKernel: Variable?
  /// The `[1, 1, channels · depthMultiplier, filters]` pointwise kernel (after build).
  public private(set) var pointwiseKernel: Variable?
  /// The `[filters]` bias (after build, when `useBias`).
  public private(set) var bias: Variable?

  private let window: DepthwiseWindow

  /// Creates the layer with Keras's defaults.
  public init(
    _ filters: Int, kernelSize: IntOrTuple, strides: IntOrTuple = 1, padding: String = "valid",
    depthMultiplier: Int = 1, dilationRate: IntOrTuple = 1,
    activation: ActivationFunction = .linear, useBias: Bool = true,
    depthwiseInitializer: any Initializer = GlorotUniform(),
    pointwiseInitializer: any Initializer = GlorotUniform(),
    biasInitializer: any Initializer = Zeros(), depthwiseRegularizer: (any Regularizer)? = nil,
    pointwiseRegularizer: (any Regularizer)? = nil, biasRegularizer: (any Regularizer)? = nil,
    activityRegularizer: (any Regularizer)? = nil, depthwiseConstraint: (any Constraint)? = nil,
    pointwiseConstraint: (any Constraint)? = nil, biasConstraint: (any Constraint)? = nil,
    name: String? = nil
  ) {
    self.filters = filters
    window = DepthwiseWindow(
      kernelSize: kernelSize, strides: strides, padding: padding, dilationRate: dilationRate)
    self.kernelSize = window.kernelSize
    self.strides = window.strides
    self.padding = window.padding
    self.dilationRate = window.dilationRate
    self.depthMultiplier = depthMultiplier
    self.activation = activation
    self.useBias = useBias
    self.depthwiseInitializer = depthwiseInitializer
    self.pointwiseInitializer = pointwiseInitializer
    self.biasInitializer = biasInitializer
    self.depthwiseRegularizer = depthwiseRegularizer
    self.pointwiseRegularizer = pointwiseRegularizer
    self.biasRegularizer = biasRegularizer
    self.activityRegularizer = activityRegularizer
    self.depthwiseConstraint = depthwiseConstraint
    self.pointwiseConstraint = pointwiseConstraint
    self.biasConstraint = biasConstraint
    super.init(name: name)
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
      initializer: depthwiseInitializer, regularizer: depthwiseRegularizer,
      constraint: depthwiseConstraint)
    pointwiseKernel = addWeight(
      name: "pointwise_kernel", shape: [1, 1, channels * depthMultiplier, filters],
      initializer: pointwiseInitializer, regularizer: pointwiseRegularizer,
      constraint: pointwiseConstraint)
    if useBias {
      bias = addWeight(
        name: "bias", shape: [filters], initializer: biasInitializer,
        regularizer: biasRegularizer, constraint: biasConstraint)
    }
  }

  public override func checkInputs(_ shapes: [[Int]]) throws {
    try window.check(shapes, expected: builtInputShapes[0], layer: "\(name)' (\(className)")
  }

  public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
    guard let depthwiseKernel, let pointwiseKernel else {
      throw SwiftKerasError(.invalidState, "layer '\(name)' (\(className)) is not built")
    }
    var output = conv2d(window.apply(input, depthwiseKernel.value), pointwiseKernel.value)
    if let bias { output = output + bias.value }
    output = activation(output)
    if let activityRegularizer {
      callLosses.append(activityRegularizer(output) / Float(max(input.shape[0], 1)))
    }
    return output
  }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    try window.outputShape(inputShapes[0], layer: "\(name)' (\(className)") + [filters]
  }

  public override func getConfig() -> [String: ConfigValue] {
    var config = super.getConfig()
    window.addConfig(to: &config)
    config["filters"] = .int(filters)
    config["depth_multiplier"] = .int(depthMultiplier)
    config["activation"] = .string(activation.name)
    config["use_bias"] = .bool(useBias)
    config["depthwise_initializer"] = serialized(depthwiseInitializer)
    config["pointwise_initializer"] = serialized(pointwiseInitializer)
    config["bias_initializer"] = serialized(biasInitializer)
    config["depthwise_regularizer"] = serialized(depthwiseRegularizer)
    config["pointwise_regularizer"] = serialized(pointwiseRegularizer)
    config["bias_regularizer"] = serialized(biasRegularizer)
    config["activity_regularizer"] = serialized(activityRegularizer)
    config["depthwise_constraint"] = serialized(depthwiseConstraint)
    config["pointwise_constraint"] = serialized(pointwiseConstraint)
    config["bias_constraint"] = serialized(biasConstraint)
    return config
  }
}
