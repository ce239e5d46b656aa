import SwiftKerasCore

/// The common machinery of ``Conv1D`` and ``Conv2D``, as Keras's `BaseConv`: argument
/// checks, weights, the convolution (lowered to ``Tensor/conv2d(_:_:strides:padding:dilation:groups:)``),
/// bias, activation and config. Inputs are channels-last.
public class BaseConv: ConvolutionLayer {
  /// The number of spatial axes (1 or 2).
  public class var rank: Int { 2 }
  /// The paddings the layer accepts.
  class var paddings: [String] { ["valid", "same"] }

  /// The number of output channels.
  @Config(required: true) public var filters = 0
  /// The number of channel groups convolved separately.
  @Config public var groups = 1
  /// The kernel's initializer (Glorot uniform by default), regularizer and constraint.
  @Config("kernel") public var kernelOptions = WeightOptions(initializer: GlorotUniform())

  /// The `[kernelSize..., inputChannels / groups, filters]` kernel (after build).
  public private(set) var kernel: Variable?
  /// The `[filters]` bias (after build, when `useBias`).
  public private(set) var bias: Variable?

  /// The number of spatial axes (1 or 2).
  public var rank: Int { Self.rank }

  /// Creates the layer with Keras's defaults. Sizes are an integer for every axis, a tuple
  /// such as `(3, 3)` or an array.
  public convenience init(
    _ filters: Int, kernelSize: any Sendable, strides: any Sendable = 1,
    padding: String = "valid", dilationRate: any Sendable = 1, groups: Int = 1,
    activation: ActivationFunction = .linear, useBias: Bool = true,
    kernelInitializer: any Initializer = GlorotUniform(),
    biasInitializer: any Initializer = Zeros(), kernelRegularizer: (any Regularizer)? = nil,
    biasRegularizer: (any Regularizer)? = nil, activityRegularizer: (any Regularizer)? = nil,
    kernelConstraint: (any Constraint)? = nil, biasConstraint: (any Constraint)? = nil,
    inputShape: [Int?]? = nil, name: String? = nil
  ) {
    self.init(name: name)
    self.filters = filters
    setConvolutionArguments(
      rank: Self.rank, kernelSize: kernelSize, strides: strides, padding: padding,
      dilationRate: dilationRate, activation: activation, useBias: useBias,
      bias: WeightOptions(biasInitializer, biasRegularizer, biasConstraint),
      activityRegularizer: activityRegularizer)
    self.groups = groups
    kernelOptions = WeightOptions(kernelInitializer, kernelRegularizer, kernelConstraint)
    requestedInputShape = inputShape
  }

  public override func build(inputShape: Shape) throws {
    let label = "\(name)' (\(className)"
    try window.resolve(rank: rank, layer: label, paddings: Self.paddings)
    guard filters > 0, groups > 0, filters % groups == 0 else {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(label)): filters must be a positive multiple of groups, got filters \(filters), groups \(groups)"
      )
    }
    guard strides.allSatisfy({ $0 == 1 }) || dilationRate.allSatisfy({ $0 == 1 }) else {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(label)): strides > 1 and dilationRate > 1 cannot be combined, got strides \(strides), dilationRate \(dilationRate)"
      )
    }
    guard inputShape.count == rank + 2, let channels = inputShape.last ?? nil else {
      throw SwiftKerasError(
        .shapeMismatch,
        "layer '\(label)) needs inputs of rank \(rank + 2) with a known channel axis, got \(formatShape(inputShape))"
      )
    }
    guard channels % groups == 0 else {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(label)): input channels \(channels) must be a multiple of groups \(groups)")
    }
    _ = try spatialOutput(Array(inputShape.dropFirst().dropLast()))
    kernel = addWeight(
      name: "kernel", shape: kernelSize + [channels / groups, filters], options: kernelOptions)
    if useBias { bias = addWeight(name: "bias", shape: [filters], options: biasOptions) }
  }

  /// The padding of the 2-D convolution that computes this layer.
  private var convolutionPadding: ConvolutionPadding {
    switch padding {
    case "same": return .same
    case "causal":
      return .explicit(top: 0, bottom: 0, left: (kernelSize[0] - 1) * dilationRate[0], right: 0)
    default: return .valid
    }
  }

  /// The output extents of the spatial axes (nil stays nil).
  private func spatialOutput(_ extents: [Int?]) throws -> [Int?] {
    try window.spatialOutput(extents, layer: "\(name)' (\(className)")
  }

  public override func checkInputs(_ shapes: [[Int]]) throws {
    try checkSingleInput(shapes) { $0 == rank + 2 }
    _ = try spatialOutput(shapes[0].dropFirst().dropLast().map { Optional($0) })
  }

  public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
    guard let kernel else {
      throw SwiftKerasError(.invalidState, "layer '\(name)' (\(className)) is not built")
    }
    // Bias and a ReLU ride along in the convolution's own pass and tape entry.
    let fusedReLU = activation == .relu
    var output: Tensor
    if rank == 1 {
      let (n, steps, channels) = (input.shape[0], input.shape[1], input.shape[2])
      let k = kernel.value
      let out = Tensor.conv2d(
        input.reshaped(to: [n, 1, steps, channels]),
        k.reshaped(to: [1, k.shape[0], k.shape[1], k.shape[2]]), bias: bias?.value,
        fusedReLU: fusedReLU, strides: (1, strides[0]), padding: convolutionPadding,
        dilation: (1, dilationRate[0]), groups: groups)
      output = out.reshaped(to: [n, out.shape[2], filters])
    } else {
      output = Tensor.conv2d(
        input, kernel.value, bias: bias?.value, fusedReLU: fusedReLU,
        strides: (strides[0], strides[1]), padding: convolutionPadding,
        dilation: (dilationRate[0], dilationRate[1]), groups: groups)
    }
    if !fusedReLU { output = activation(output) }
    return output
  }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    let shape = inputShapes[0]
    return [shape[0]] + (try spatialOutput(Array(shape.dropFirst().dropLast()))) + [filters]
  }
}
