import SwiftKerasCore

/// The cell of ``ConvLSTM1D`` and ``ConvLSTM2D``, as Keras's `ConvLSTMCell`: an LSTM whose
/// input and recurrent transformations are convolutions. The kernels' last axis holds
/// four gate blocks of `filters` channels in Keras's order input, forget, candidate,
/// output:
///
/// ```
/// z = conv(x, kernel, strides, padding, dilation) + bias + conv(h₋₁, recurrentKernel, "same")
/// i, f, c̃, o = σ(z₀), σ(z₁), tanh(z₂), σ(z₃)
/// c = f ⊙ c₋₁ + i ⊙ c̃,   h = o ⊙ tanh(c)
/// ```
///
/// The kernel is `[kernelSize..., channels, 4 × filters]`, the recurrent kernel
/// `[kernelSize..., filters, 4 × filters]`, the bias `[4 × filters]`. The states `[h, c]`
/// have the output's spatial shape; the ``RecurrentCell`` interface sees them, and the
/// step inputs, flattened to `[batch, elements]` (the layer reshapes them back).
public final class ConvLSTMCell: Layer, RecurrentCell {
  /// The number of output channels.
  @Config(required: true) public var filters = 0
  /// The input convolution's window: kernel size, strides, padding, data format and
  /// dilation. The recurrent convolution uses the same kernel size with stride 1 and
  /// `"same"` padding, as Keras's.
  @Config("window") public var window = ConvolutionWindow()
  /// The activation of the candidate state and of the output.
  @Config public var activation = ActivationFunction.tanh
  /// The activation of the gates.
  @Config public var recurrentActivation = ActivationFunction.sigmoid
  /// Whether the cell adds a bias.
  @Config public var useBias = true
  /// The input kernel's initializer (Glorot uniform by default), regularizer, constraint.
  @Config("kernel") public var kernelOptions = WeightOptions(initializer: GlorotUniform())
  /// The recurrent kernel's initializer (orthogonal by default), regularizer, constraint.
  @Config("recurrent") public var recurrentOptions = WeightOptions(initializer: Orthogonal())
  /// The bias's initializer (zeros by default), regularizer and constraint.
  @Config("bias") public var biasOptions = WeightOptions(initializer: Zeros())
  /// Whether the forget gate's bias starts at one (the rest from the bias initializer).
  @Config public var unitForgetBias = true
  /// The fraction of the input elements dropped in training, one mask per sequence.
  @Config public var dropout: Float = 0
  /// The fraction of the recurrent state dropped in training, one mask per sequence.
  @Config public var recurrentDropout: Float = 0
  /// The seed of the dropout masks' generator.
  @Config public var seed: UInt64? = nil

  /// The `[kernelSize..., channels, 4 × filters]` input kernel (after build).
  public private(set) var kernel: Variable?
  /// The `[kernelSize..., filters, 4 × filters]` recurrent kernel (after build).
  public private(set) var recurrentKernel: Variable?
  /// The `[4 × filters]` bias (after build, when `useBias`).
  public private(set) var bias: Variable?

  /// The spatial extents of one step's input (after build).
  public private(set) var inputSpatialShape: [Int] = []
  /// The spatial extents of the output and of the states (after build).
  public private(set) var outputSpatialShape: [Int] = []
  private var channels = 0

  private var dropoutMask: Tensor?
  private var recurrentDropoutMask: Tensor?
  /// Made on first use, because ``Layer/init(config:)`` sets `seed` after creation.
  private lazy var generator = seed.map(RandomGenerator.init(seed:)) ?? unseededGenerator
  private let unseededGenerator = GlobalRandom.makeGenerator()

  /// The number of spatial axes (1 for ConvLSTM1D, 2 for ConvLSTM2D).
  public var rank: Int { window.kernelSize.count }

  /// The output extents of `spatial` (nil stays nil) for the input convolution.
  ///
  /// - Throws: ``SwiftKerasError`` naming `layer` when the window's arguments are invalid
  ///   or the window does not fit.
  func outputExtents(_ spatial: [Int?], rank: Int, layer: String) throws -> [Int?] {
    var resolved = window
    try resolved.resolve(rank: rank, layer: layer)
    return try resolved.spatialOutput(spatial, layer: layer)
  }

  /// Builds the weights for step inputs `[batch, spatial..., channels]`.
  public override func build(inputShape: Shape) throws {
    let label = "\(name)' (ConvLSTMCell"
    let rank = inputShape.count - 2
    guard (1...2).contains(rank), let channels = inputShape.last ?? nil,
      let spatial = Optional(inputShape.dropFirst().dropLast().compactMap { $0 }),
      spatial.count == rank
    else {
      throw SwiftKerasError(
        .shapeMismatch,
        "layer '\(label)) needs step inputs [batch, spatial..., channels] with 1 or 2 known spatial axes and a known channel axis, got \(formatShape(inputShape))"
      )
    }
    try window.resolve(rank: rank, layer: label)
    guard filters > 0 else {
      throw SwiftKerasError(
        .invalidArgument, "layer '\(label)): filters must be positive, got \(filters)")
    }
    guard strides.allSatisfy({ $0 == 1 }) || window.dilationRate.allSatisfy({ $0 == 1 }) else {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(label)): strides > 1 and dilationRate > 1 cannot be combined, got strides \(strides), dilationRate \(window.dilationRate)"
      )
    }
    guard (0...1).contains(dropout), (0...1).contains(recurrentDropout) else {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(label)): dropout and recurrentDropout must be in [0, 1], got \(dropout) and \(recurrentDropout)"
      )
    }
    let output = try window.spatialOutput(spatial.map { Optional($0) }, layer: label)
      .compactMap { $0 }
    let (gates, gatesOverflow) = filters.multipliedReportingOverflow(by: 4)
    guard !gatesOverflow, checkedProduct(output + [filters]) != nil,
      checkedProduct(spatial + [channels]) != nil,
      checkedProduct(window.kernelSize + [Swift.max(channels, filters), gates]) != nil
    else {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(label)): filters \(filters) with input \(formatShape(inputShape)) is too large")
    }
    inputSpatialShape = spatial
    outputSpatialShape = output
    self.channels = channels
    kernel = addWeight(
      name: "kernel", shape: window.kernelSize + [channels, gates], options: kernelOptions)
    recurrentKernel = addWeight(
      name: "recurrent_kernel", shape: window.kernelSize + [filters, gates],
      options: recurrentOptions)
    if useBias {
      bias = addWeight(
        name: "bias", shape: [gates],
        initializer: unitForgetBias
          ? ForgetGateBias(base: biasOptions.initializer, units: filters)
          : biasOptions.initializer,
        regularizer: biasOptions.regularizer, constraint: biasOptions.constraint)
    }
  }

  private var strides: [Int] { window.strides }

  /// Each state flattened: `outputSpatialShape × filters` elements, twice (`h` and `c`).
  public var stateSizes: [Int] { [outputSize, outputSize] }

  /// The flattened output width, `outputSpatialShape × filters`.
  public var outputSize: Int { (outputSpatialShape + [filters]).reduce(1, *) }

  /// `x` (`[batch, elements]`) as the rank-4 tensor conv2d takes: `[batch, height, width,
  /// channels]`, with height 1 for one spatial axis.
  private func image(_ x: Tensor, spatial: [Int], channels: Int) -> Tensor {
    x.reshaped(to: [x.shape[0]] + (spatial.count == 1 ? [1] : []) + spatial + [channels])
  }

  /// A kernel as conv2d takes it (a leading axis of 1 for one spatial axis).
  private func kernel2D(_ k: Tensor) -> Tensor {
    k.rank == 3 ? k.reshaped(to: [1] + k.shape) : k
  }

  private func pair(_ values: [Int]) -> (Int, Int) {
    values.count == 1 ? (1, values[0]) : (values[0], values[1])
  }

  /// One step: `input` is `[batch, inputSpatialShape × channels]` and each state `[batch,
  /// outputSize]`, flattened in channels-last order; returns `h` and the new `[h, c]`.
  public func step(_ input: Tensor, states: [Tensor], training: Bool) throws -> (
    output: Tensor, states: [Tensor]
  ) {
    guard let kernel, let recurrentKernel else {
      throw SwiftKerasError(.invalidState, "layer '\(name)' (ConvLSTMCell) is not built")
    }
    let batch = input.shape[0]
    let x = image(
      droppedInput(input, training: training), spatial: inputSpatialShape, channels: channels)
    let h = image(
      droppedState(states[0], training: training), spatial: outputSpatialShape, channels: filters)
    var z = Tensor.conv2d(
      x, kernel2D(kernel.value), bias: bias?.value, fusedReLU: false, strides: pair(strides),
      padding: window.padding == "same" ? .same : .valid, dilation: pair(window.dilationRate))
    z = z + Tensor.conv2d(h, kernel2D(recurrentKernel.value), padding: .same)
    let f = filters
    let i = recurrentActivation(z.slice(0..<f, alongAxis: 3))
    let forget = recurrentActivation(z.slice(f..<(2 * f), alongAxis: 3))
    let candidate = activation(z.slice((2 * f)..<(3 * f), alongAxis: 3))
    let o = recurrentActivation(z.slice((3 * f)..<(4 * f), alongAxis: 3))
    let previous = image(states[1], spatial: outputSpatialShape, channels: filters)
    let c = forget * previous + i * candidate
    let output = (o * activation(c)).reshaped(to: [batch, outputSize])
    return (output, [output, c.reshaped(to: [batch, outputSize])])
  }

  /// `input` with this sequence's dropout mask applied (in training, when `dropout` > 0).
  private func droppedInput(_ input: Tensor, training: Bool) -> Tensor {
    guard training, dropout > 0 else { return input }
    if dropoutMask?.shape != input.shape { dropoutMask = makeMask(input.shape, rate: dropout) }
    return input * (dropoutMask ?? Tensor(1))
  }

  /// `state` with this sequence's recurrent dropout mask applied.
  private func droppedState(_ state: Tensor, training: Bool) -> Tensor {
    guard training, recurrentDropout > 0 else { return state }
    if recurrentDropoutMask?.shape != state.shape {
      recurrentDropoutMask = makeMask(state.shape, rate: recurrentDropout)
    }
    return state * (recurrentDropoutMask ?? Tensor(1))
  }

  private func makeMask(_ shape: [Int], rate: Float) -> Tensor {
    if rate >= 1 { return Tensor.zeros(shape) }
    let keep: Float = 1 / (1 - rate)
    var local = generator
    let mask = Tensor(shape: shape) { out in
      local.fillUniform(out)
      for i in 0..<out.count { out[i] = out[i] < rate ? 0 : keep }
    }
    generator = local
    return mask
  }

  /// Forgets the dropout masks, so the next sequence draws new ones.
  public func resetDropoutMasks() {
    dropoutMask = nil
    recurrentDropoutMask = nil
  }

  public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
    throw SwiftKerasError(
      .invalidArgument,
      "layer '\(name)' (ConvLSTMCell) is a cell: use ConvLSTM1D or ConvLSTM2D")
  }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    let shape = inputShapes[0]
    return [shape.first ?? nil]
      + (try outputExtents(
        Array(shape.dropFirst().dropLast()), rank: Swift.max(shape.count - 2, 1),
        layer: "\(name)' (ConvLSTMCell")) + [filters]
  }
}

/// The product of `values`, or nil when it overflows.
private func checkedProduct(_ values: [Int]) -> Int? {
  var product = 1
  for value in values {
    let (next, overflow) = product.multipliedReportingOverflow(by: value)
    if overflow { return nil }
    product = next
  }
  return product
}
