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
public final class Conv2DTranspose: ConvolutionLayer, ConfigInitializable {
  /// The number of output channels.
  @Config(required: true) public var filters: Int = 0
  /// Extra rows and columns at the end of the output per spatial axis, each smaller than
  /// the stride (Keras's `output_padding`); nil lets the output size follow from the
  /// padding alone.
  @Config public var outputPadding: [Int]? = nil
  /// How `kernel` is initialised, regularized and constrained.
  @Config("kernel") public var kernelOptions = WeightOptions(initializer: GlorotUniform())

  /// The `[kh, kw, filters, inputChannels]` kernel (after build).
  public private(set) var kernel: Variable?
  /// The `[filters]` bias (after build, when `useBias`).
  public private(set) var bias: Variable?

  /// Creates the layer with Keras's defaults.
  ///
  /// With `outputPadding`, an axis of length `n` becomes `(n - 1)·stride + span − 2·pad +
  /// outputPadding` long (`span` the dilated kernel, `pad` half of it for `"same"`), as
  /// Keras; without it, `n·stride` (`"same"`) or `n·stride + max(span − stride, 0)`.
  public convenience init(
    _ filters: Int, kernelSize: any Sendable, strides: any Sendable = 1, padding: String = "valid",
    outputPadding: (any Sendable)? = nil, dilationRate: any Sendable = 1,
    activation: ActivationFunction = .linear, useBias: Bool = true,
    kernelInitializer: any Initializer = GlorotUniform(),
    biasInitializer: any Initializer = Zeros(), kernelRegularizer: (any Regularizer)? = nil,
    biasRegularizer: (any Regularizer)? = nil, activityRegularizer: (any Regularizer)? = nil,
    kernelConstraint: (any Constraint)? = nil, biasConstraint: (any Constraint)? = nil,
    name: String? = nil
  ) {
    self.init(name: name)
    self.filters = filters
    setConvolutionArguments(
      rank: 2, kernelSize: kernelSize, strides: strides, padding: padding,
      dilationRate: dilationRate, activation: activation, useBias: useBias,
      bias: WeightOptions(biasInitializer, biasRegularizer, biasConstraint),
      activityRegularizer: activityRegularizer)
    self.outputPadding = outputPadding.map { IntOrTuple(argument: $0).spread(rank: 2) }
    kernelOptions = WeightOptions(kernelInitializer, kernelRegularizer, kernelConstraint)
  }

  public override func build(inputShape: Shape) throws {
    let label = "\(name)' (Conv2DTranspose"
    try window.resolve(rank: 2, layer: label)
    if let given = outputPadding {
      let values = IntOrTuple(given).spread(rank: 2)
      guard values.count == 2, zip(values, strides).allSatisfy({ $0 >= 0 && $0 < $1 }) else {
        throw SwiftKerasError(
          .invalidArgument,
          "layer '\(label)): outputPadding must be one or two non-negative integers smaller than the strides \(strides), got \(given)"
        )
      }
      outputPadding = values
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
      name: "kernel", shape: kernelSize + [filters, channels], options: kernelOptions)
    if useBias {
      bias = addWeight(
        name: "bias", shape: [filters], options: biasOptions)
    }
  }

  /// Keras's `compute_conv_transpose_output_length`.
  private func outputLength(_ input: Int, axis: Int) throws -> Int {
    let stride = strides[axis]
    var length: Int?
    if let span = checkedMultiply(kernelSize[axis] - 1, dilationRate[axis]).flatMap({
      checkedAdd($0, 1)
    }) {
      if let outputPadding {
        let pad = padding == "same" ? span / 2 : 0
        length = checkedMultiply(input - 1, stride).flatMap {
          checkedAdd($0, span - 2 * pad + outputPadding[axis])
        }
      } else {
        let stretched = checkedMultiply(input, stride)
        length =
          padding == "same"
          ? stretched : stretched.flatMap { checkedAdd($0, max(span - stride, 0)) }
      }
    }
    guard let length else {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(name)' (Conv2DTranspose): the output length for input extent \(input), strides \(strides), kernel \(kernelSize) and dilation \(dilationRate) overflows"
      )
    }
    return length
  }

  public override func checkInputs(_ shapes: [[Int]]) throws {
    try checkSingleInput(shapes) { $0 == 4 }
  }

  public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
    guard let kernel else {
      throw SwiftKerasError(.invalidState, "layer '\(name)' (Conv2DTranspose) is not built")
    }
    let outputSize = (
      try outputLength(input.shape[1], axis: 0), try outputLength(input.shape[2], axis: 1)
    )
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
    _ = try RuntimeOptions.checkTensorSize(
      [input.shape[0], outputSize.0, outputSize.1, filters],
      of: "layer '\(name)' (Conv2DTranspose) output")
    // The product behind it holds one column of kernel × filters values per input pixel:
    // a huge kernel on a small input asks for gigabytes there (fuzz-json found a 190-byte
    // config that did).
    _ = try RuntimeOptions.checkTensorSize(
      [input.shape[0], input.shape[1], input.shape[2], kernelSize[0], kernelSize[1], filters],
      of: "layer '\(name)' (Conv2DTranspose) working buffer")
    let output = Tensor.conv2dTranspose(
      input, kernel.value,
      outputSize: outputSize,
      strides: (strides[0], strides[1]), padding: padding == "same" ? .same : .valid,
      dilation: (dilationRate[0], dilationRate[1]))
    return biasedActivation(output, bias: bias)
  }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    let shape = inputShapes[0]
    return [
      shape[0], try shape[1].map { try outputLength($0, axis: 0) },
      try shape[2].map { try outputLength($0, axis: 1) },
      filters,
    ]
  }
}
