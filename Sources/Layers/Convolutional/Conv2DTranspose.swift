import SwiftKerasCore

/// A transposed 2-D convolution ("deconvolution"), as `keras.layers.Conv2DTranspose`
/// (channels last): the gradient of a ``Conv2D`` with respect to its input, so strides
/// enlarge `[batch, height, width, channels]` input. The kernel has shape `[kh, kw,
/// filters, inputChannels]` like Keras's.
///
/// ```swift
/// let y = try Conv2DTranspose(16, kernelSize: 3, strides: 2, padding: "same")(
///   Tensor.zeros([4, 7, 7, 32]))   // [4, 14, 14, 16]
/// ```
public final class Conv2DTranspose: Layer {
  /// The number of output channels.
  public let filters: Int
  /// The window extent per spatial axis.
  public let kernelSize: [Int]
  /// The upsampling step per spatial axis.
  public let strides: [Int]
  /// `"valid"` or `"same"`.
  public let padding: String
  /// Extra rows and columns at the end of the output per spatial axis, each smaller than
  /// the stride (Keras's `output_padding`); nil lets the output size follow from the
  /// padding alone.
  public let outputPadding: [Int]?
  /// The spacing between kernel taps per spatial axis.
  public let dilationRate: [Int]
  /// The activation applied to the output.
  public let activation: ActivationFunction
  /// Whether a bias vector is added.
  public let useBias: Bool
  /// How the kernel is initialised (Glorot uniform by default).
  public let kernelInitializer: any Initializer
  /// How the bias is initialised (zeros by default).
  public let biasInitializer: any Initializer
  /// A penalty on the kernel added to the loss.
  public let kernelRegularizer: (any Regularizer)?
  /// A penalty on the bias added to the loss.
  public let biasRegularizer: (any Regularizer)?
  /// A penalty on the layer's output added to the loss.
  public let activityRegularizer: (any Regularizer)?
  /// A projection of the kernel after each update.
  public let kernelConstraint: (any Constraint)?
  /// A projection of the bias after each update.
  public let biasConstraint: (any Constraint)?

  /// The `[kh, kw, filters, inputChannels]` kernel (after build).
  public private(set) var kernel: Variable?
  /// The `[filters]` bias (after build, when `useBias`).
  public private(set) var bias: Variable?

  private let rawKernelSize: IntOrTuple
  private let rawStrides: IntOrTuple
  private let rawDilation: IntOrTuple
  private let rawOutputPadding: IntOrTuple?

  /// Creates the layer with Keras's defaults.
  ///
  /// With `outputPadding`, an axis of length `n` becomes `(n - 1)·stride + span − 2·pad +
  /// outputPadding` long (`span` the dilated kernel, `pad` half of it for `"same"`), as
  /// Keras; without it, `n·stride` (`"same"`) or `n·stride + max(span − stride, 0)`.
  public init(
    _ filters: Int, kernelSize: IntOrTuple, strides: IntOrTuple = 1, padding: String = "valid",
    outputPadding: IntOrTuple? = nil, dilationRate: IntOrTuple = 1,
    activation: ActivationFunction = .linear, useBias: Bool = true,
    kernelInitializer: any Initializer = GlorotUniform(),
    biasInitializer: any Initializer = Zeros(), kernelRegularizer: (any Regularizer)? = nil,
    biasRegularizer: (any Regularizer)? = nil, activityRegularizer: (any Regularizer)? = nil,
    kernelConstraint: (any Constraint)? = nil, biasConstraint: (any Constraint)? = nil,
    name: String? = nil
  ) {
    self.filters = filters
    rawKernelSize = kernelSize
    rawStrides = strides
    rawDilation = dilationRate
    self.kernelSize = kernelSize.expanded(rank: 2)
    self.strides = strides.expanded(rank: 2)
    self.padding = padding.lowercased()
    rawOutputPadding = outputPadding
    self.outputPadding = outputPadding?.expanded(rank: 2)
    self.dilationRate = dilationRate.expanded(rank: 2)
    self.activation = activation
    self.useBias = useBias
    self.kernelInitializer = kernelInitializer
    self.biasInitializer = biasInitializer
    self.kernelRegularizer = kernelRegularizer
    self.biasRegularizer = biasRegularizer
    self.activityRegularizer = activityRegularizer
    self.kernelConstraint = kernelConstraint
    self.biasConstraint = biasConstraint
    super.init(name: name)
  }

  public override func build(inputShape: Shape) throws {
    let label = "\(name)' (Conv2DTranspose"
    _ = try rawKernelSize.resolved(rank: 2, argument: "kernelSize", layer: label)
    _ = try rawStrides.resolved(rank: 2, argument: "strides", layer: label)
    _ = try rawDilation.resolved(rank: 2, argument: "dilationRate", layer: label)
    _ = try ConvolutionPadding(keras: padding)
    if let rawOutputPadding {
      let values =
        rawOutputPadding.values.count == 1
        ? Array(repeating: rawOutputPadding.values[0], count: 2) : rawOutputPadding.values
      guard values.count == 2, zip(values, strides).allSatisfy({ $0 >= 0 && $0 < $1 }) else {
        throw SwiftKerasError(
          .invalidArgument,
          "layer '\(label)): outputPadding must be one or two non-negative integers smaller than the strides \(strides), got \(rawOutputPadding.values)"
        )
      }
    }
    guard filters > 0 else {
      throw SwiftKerasError(
        .invalidArgument, "layer '\(label)): filters must be positive, got \(filters)")
    }
    guard inputShape.count == 4, let channels = inputShape.last ?? nil else {
      throw SwiftKerasError(
        .shapeMismatch,
        "layer '\(label)) needs inputs of rank 4 with a known channel axis, got \(formatShape(inputShape))"
      )
    }
    kernel = addWeight(
      name: "kernel", shape: kernelSize + [filters, channels], initializer: kernelInitializer,
      regularizer: kernelRegularizer, constraint: kernelConstraint)
    if useBias {
      bias = addWeight(
        name: "bias", shape: [filters], initializer: biasInitializer,
        regularizer: biasRegularizer, constraint: biasConstraint)
    }
  }

  /// Keras's `compute_conv_transpose_output_length`.
  private func outputLength(_ input: Int, axis: Int) -> Int {
    let span = (kernelSize[axis] - 1) * dilationRate[axis] + 1
    guard let outputPadding else {
      return padding == "same"
        ? input * strides[axis] : input * strides[axis] + max(span - strides[axis], 0)
    }
    let pad = padding == "same" ? span / 2 : 0
    return (input - 1) * strides[axis] + span - 2 * pad + outputPadding[axis]
  }

  public override func checkInputs(_ shapes: [[Int]]) throws {
    let expected = builtInputShapes[0]
    guard shapes.count == 1, shapes[0].count == 4, shapes[0].last == expected.last ?? nil else {
      throw SwiftKerasError(
        .shapeMismatch,
        "layer '\(name)' (Conv2DTranspose) expects input shape \(formatShape(expected)), got \(shapes.map { formatShape($0.map { Optional($0) }) }.joined(separator: ", "))"
      )
    }
  }

  public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
    guard let kernel else {
      throw SwiftKerasError(.invalidState, "layer '\(name)' (Conv2DTranspose) is not built")
    }
    let outputSize = (outputLength(input.shape[1], axis: 0), outputLength(input.shape[2], axis: 1))
    // An even kernel with "same" padding and no output padding gives a size the forward
    // convolution does not map back to the input's; TensorFlow refuses it too.
    let forward = padding == "same" ? ConvolutionPadding.same : .valid
    for (axis, size) in [outputSize.0, outputSize.1].enumerated() {
      let back = convolutionOutputLength(
        input: size, kernel: kernelSize[axis], stride: strides[axis],
        dilation: dilationRate[axis], padding: forward)
      guard size > 0, back == input.shape[axis + 1] else {
        throw SwiftKerasError(
          .shapeMismatch,
          "layer '\(name)' (Conv2DTranspose): output length \(size) on axis \(axis + 1) does not convolve back to the input's \(input.shape[axis + 1]) (kernel \(kernelSize), strides \(strides), padding \"\(padding)\", outputPadding \(outputPadding.map { "\($0)" } ?? "nil"))"
        )
      }
    }
    var output = Tensor.conv2dTranspose(
      input, kernel.value,
      outputSize: outputSize,
      strides: (strides[0], strides[1]), padding: padding == "same" ? .same : .valid,
      dilation: (dilationRate[0], dilationRate[1]))
    if let bias { output = output + bias.value }
    output = activation(output)
    if let activityRegularizer {
      callLosses.append(activityRegularizer(output) / Float(max(input.shape[0], 1)))
    }
    return output
  }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    let shape = inputShapes[0]
    return [
      shape[0], shape[1].map { outputLength($0, axis: 0) },
      shape[2].map { outputLength($0, axis: 1) },
      filters,
    ]
  }

  public override func getConfig() -> [String: ConfigValue] {
    var config = super.getConfig()
    config["filters"] = .int(filters)
    config["kernel_size"] = configArray(kernelSize)
    config["strides"] = configArray(strides)
    config["padding"] = .string(padding)
    config["output_padding"] = outputPadding.map(configArray) ?? .null
    config["data_format"] = "channels_last"
    config["dilation_rate"] = configArray(dilationRate)
    config["activation"] = .string(activation.name)
    config["use_bias"] = .bool(useBias)
    config["kernel_initializer"] = serialized(kernelInitializer)
    config["bias_initializer"] = serialized(biasInitializer)
    config["kernel_regularizer"] = serialized(kernelRegularizer)
    config["bias_regularizer"] = serialized(biasRegularizer)
    config["activity_regularizer"] = serialized(activityRegularizer)
    config["kernel_constraint"] = serialized(kernelConstraint)
    config["bias_constraint"] = serialized(biasConstraint)
    return config
  }
}
