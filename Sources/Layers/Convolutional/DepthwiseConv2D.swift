import SwiftKerasCore

/// A depthwise 2-D convolution, as `keras.layers.DepthwiseConv2D` (channels last): each
/// input channel is convolved with its own `depthMultiplier` filters, so `[batch,
/// height, width, channels]` becomes `[batch, outHeight, outWidth, channels ·
/// depthMultiplier]`. The kernel has shape `[kh, kw, channels, depthMultiplier]`.
///
/// ```swift
/// let y = try DepthwiseConv2D(kernelSize: 3, padding: "same")(Tensor.zeros([2, 8, 8, 16]))
/// ```
public final class DepthwiseConv2D: Layer {
  /// The window extent per spatial axis.
  public let kernelSize: [Int]
  /// The step between windows per spatial axis.
  public let strides: [Int]
  /// `"valid"` or `"same"`.
  public let padding: String
  /// Output channels per input channel.
  public let depthMultiplier: Int
  /// The spacing between kernel taps per spatial axis.
  public let dilationRate: [Int]
  /// The activation applied to the output.
  public let activation: ActivationFunction
  /// Whether a bias vector is added.
  public let useBias: Bool
  /// How the depthwise kernel is initialised (Glorot uniform by default).
  public let depthwiseInitializer: any Initializer
  /// How the bias is initialised (zeros by default).
  public let biasInitializer: any Initializer
  /// A penalty on the depthwise kernel added to the loss.
  public let depthwiseRegularizer: (any Regularizer)?
  /// A penalty on the bias added to the loss.
  public let biasRegularizer: (any Regularizer)?
  /// A penalty on the layer's output added to the loss.
  public let activityRegularizer: (any Regularizer)?
  /// A projection of the depthwise kernel after each update.
  public let depthwiseConstraint: (any Constraint)?
  /// A projection of the bias after each update.
  public let biasConstraint: (any Constraint)?

  /// The `[kh, kw, channels, depthMultiplier]` kernel (after build).
  public private(set) var kernel: Variable?
  /// The `[channels · depthMultiplier]` bias (after build, when `useBias`).
  public private(set) var bias: Variable?

  private let window: DepthwiseWindow

  /// Creates the layer with Keras's defaults.
  public init(
    kernelSize: IntOrTuple, strides: IntOrTuple = 1, padding: String = "valid",
    depthMultiplier: Int = 1, dilationRate: IntOrTuple = 1,
    activation: ActivationFunction = .linear, useBias: Bool = true,
    depthwiseInitializer: any Initializer = GlorotUniform(),
    biasInitializer: any Initializer = Zeros(), depthwiseRegularizer: (any Regularizer)? = nil,
    biasRegularizer: (any Regularizer)? = nil, activityRegularizer: (any Regularizer)? = nil,
    depthwiseConstraint: (any Constraint)? = nil, biasConstraint: (any Constraint)? = nil,
    name: String? = nil
  ) {
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
    self.biasInitializer = biasInitializer
    self.depthwiseRegularizer = depthwiseRegularizer
    self.biasRegularizer = biasRegularizer
    self.activityRegularizer = activityRegularizer
    self.depthwiseConstraint = depthwiseConstraint
    self.biasConstraint = biasConstraint
    super.init(name: name)
  }

  public override func build(inputShape: Shape) throws {
    let channels = try window.validate(
      inputShape: inputShape, depthMultiplier: depthMultiplier, layer: "\(name)' (\(className)")
    kernel = addWeight(
      name: "kernel", shape: kernelSize + [channels, depthMultiplier],
      initializer: depthwiseInitializer, regularizer: depthwiseRegularizer,
      constraint: depthwiseConstraint)
    if useBias {
      bias = addWeight(
        name: "bias", shape: [channels * depthMultiplier], initializer: biasInitializer,
        regularizer: biasRegularizer, constraint: biasConstraint)
    }
  }

  public override func checkInputs(_ shapes: [[Int]]) throws {
    try window.check(shapes, expected: builtInputShapes[0], layer: "\(name)' (\(className)")
  }

  public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
    guard let kernel else {
      throw SwiftKerasError(.invalidState, "layer '\(name)' (\(className)) is not built")
    }
    var output = window.apply(input, kernel.value)
    if let bias { output = output + bias.value }
    output = activation(output)
    if let activityRegularizer {
      callLosses.append(activityRegularizer(output) / Float(max(input.shape[0], 1)))
    }
    return output
  }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    let shape = inputShapes[0]
    return try window.outputShape(shape, layer: "\(name)' (\(className)")
      + [(shape.last ?? nil).map { $0 * depthMultiplier }]
  }

  public override func getConfig() -> [String: ConfigValue] {
    var config = super.getConfig()
    window.addConfig(to: &config)
    config["depth_multiplier"] = .int(depthMultiplier)
    config["activation"] = .string(activation.name)
    config["use_bias"] = .bool(useBias)
    config["depthwise_initializer"] = serialized(depthwiseInitializer)
    config["bias_initializer"] = serialized(biasInitializer)
    config["depthwise_regularizer"] = serialized(depthwiseRegularizer)
    config["bias_regularizer"] = serialized(biasRegularizer)
    config["activity_regularizer"] = serialized(activityRegularizer)
    config["depthwise_constraint"] = serialized(depthwiseConstraint)
    config["bias_constraint"] = serialized(biasConstraint)
    return config
  }
}
