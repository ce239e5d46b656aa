import SwiftKerasCore

/// What ``SimpleRNNCell``, ``LSTMCell`` and ``GRUCell`` share, as Keras's cells with
/// `DropoutRNNCell`: the units, the activation, the three weights' options, the dropout
/// rates with their seed, and the per-sequence dropout masks.
///
/// A cell's `kernel` is `[features, gates × units]`, its `recurrent_kernel` `[units,
/// gates × units]`; gates are 1 (SimpleRNN), 4 (LSTM: i, f, c, o) or 3 (GRU: z, r, h).
public class BaseRNNCell: Layer {
  /// The width of the state and of the output.
  @Config(required: true) public var units = 0
  /// The activation of the candidate state (and of the LSTM output).
  @Config public var activation = ActivationFunction.tanh
  /// Whether the cell adds a bias.
  @Config public var useBias = true
  /// The input kernel's initializer (Glorot uniform by default), regularizer, constraint.
  @Config("kernel") public var kernelOptions = WeightOptions(initializer: GlorotUniform())
  /// The recurrent kernel's initializer (orthogonal by default), regularizer, constraint.
  @Config("recurrent") public var recurrentOptions = WeightOptions(initializer: Orthogonal())
  /// The bias's initializer (zeros by default), regularizer and constraint.
  @Config("bias") public var biasOptions = WeightOptions(initializer: Zeros())
  /// The fraction of the input units dropped in training, one mask per sequence.
  @Config public var dropout: Float = 0
  /// The fraction of the recurrent state dropped in training, one mask per sequence.
  @Config public var recurrentDropout: Float = 0
  /// The seed of the dropout masks' generator.
  @Config public var seed: UInt64? = nil

  /// The `[features, gates × units]` input kernel (after build).
  public internal(set) var kernel: Variable?
  /// The `[units, gates × units]` recurrent kernel (after build).
  public internal(set) var recurrentKernel: Variable?
  /// The bias (after build, when `useBias`).
  public internal(set) var bias: Variable?

  /// The number of gate blocks in the kernels.
  class var gates: Int { 1 }

  private var dropoutMask: Tensor?
  private var recurrentDropoutMask: Tensor?
  /// Made on first use, because ``Layer/init(config:)`` sets `seed` after creation.
  private lazy var generator = seed.map(RandomGenerator.init(seed:)) ?? unseededGenerator
  private let unseededGenerator = GlobalRandom.makeGenerator()

  /// The shape of the bias, `[gates × units]` (GRU with `resetAfter`: `[2, 3 × units]`).
  var biasShape: [Int] { [Self.gates * units] }

  /// Sets the hyperparameters every cell takes, from its initializer's arguments.
  func setCellArguments(
    units: Int, activation: ActivationFunction, useBias: Bool,
    kernel: WeightOptions, recurrent: WeightOptions, bias: WeightOptions,
    dropout: Float, recurrentDropout: Float, seed: UInt64?
  ) {
    self.units = units
    self.activation = activation
    self.useBias = useBias
    kernelOptions = kernel
    recurrentOptions = recurrent
    biasOptions = bias
    self.dropout = dropout
    self.recurrentDropout = recurrentDropout
    self.seed = seed
  }

  /// The bias's first value; LSTM's `unitForgetBias` overrides it.
  var biasInitializer: any Initializer { biasOptions.initializer }

  public override func build(inputShape: Shape) throws {
    guard units > 0 else {
      throw SwiftKerasError(
        .invalidArgument, "layer '\(name)' (\(className)): units must be positive, got \(units)")
    }
    guard (0...1).contains(dropout), (0...1).contains(recurrentDropout) else {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(name)' (\(className)): dropout and recurrentDropout must be in [0, 1], got \(dropout) and \(recurrentDropout)"
      )
    }
    guard inputShape.count >= 2, let features = inputShape.last ?? nil else {
      throw SwiftKerasError(
        .shapeMismatch,
        "layer '\(name)' (\(className)) needs step inputs [batch, features] with a known feature axis, got \(formatShape(inputShape))"
      )
    }
    let (width, overflow) = units.multipliedReportingOverflow(by: Self.gates)
    guard !overflow else {
      throw SwiftKerasError(
        .invalidArgument, "layer '\(name)' (\(className)): units \(units) is too large")
    }
    kernel = addWeight(name: "kernel", shape: [features, width], options: kernelOptions)
    recurrentKernel = addWeight(
      name: "recurrent_kernel", shape: [units, width], options: recurrentOptions)
    if useBias {
      bias = addWeight(
        name: "bias", shape: biasShape, initializer: biasInitializer,
        regularizer: biasOptions.regularizer, constraint: biasOptions.constraint)
    }
  }

  public override func checkInputs(_ shapes: [[Int]]) throws {
    try checkSingleInput(shapes) { $0 == 2 }
  }

  /// The state and output widths.
  public var stateSizes: [Int] { [units] }
  /// The output width.
  public var outputSize: Int { units }

  /// The built weights, or an error naming the cell when it is not built.
  func builtWeights() throws -> (kernel: Tensor, recurrent: Tensor, bias: Tensor?) {
    guard let kernel, let recurrentKernel else {
      throw SwiftKerasError(.invalidState, "layer '\(name)' (\(className)) is not built")
    }
    return (kernel.value, recurrentKernel.value, bias?.value)
  }

  /// `input` with this sequence's dropout mask applied (in training, when `dropout` > 0).
  func droppedInput(_ input: Tensor, training: Bool) -> Tensor {
    guard training, dropout > 0 else { return input }
    if dropoutMask?.shape != input.shape { dropoutMask = makeMask(input.shape, rate: dropout) }
    return input * (dropoutMask ?? Tensor(1))
  }

  /// `state` with this sequence's recurrent dropout mask applied.
  func droppedState(_ state: Tensor, training: Bool) -> Tensor {
    guard training, recurrentDropout > 0 else { return state }
    if recurrentDropoutMask?.shape != state.shape {
      recurrentDropoutMask = makeMask(state.shape, rate: recurrentDropout)
    }
    return state * (recurrentDropoutMask ?? Tensor(1))
  }

  /// `sequence` (`[batch, steps, features]`) with one input dropout mask for all its
  /// steps (in training, when `dropout` > 0), for the fused kernels, which project every
  /// step at once.
  func droppedSequence(_ sequence: Tensor, training: Bool) -> Tensor {
    guard training, dropout > 0 else { return sequence }
    let (batch, features) = (sequence.shape[0], sequence.shape[2])
    resetDropoutMasks()
    defer { resetDropoutMasks() }
    let mask = droppedInput(Tensor.ones([batch, features]), training: true)
    return sequence * mask.expandingShape(at: 1)
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
      "layer '\(name)' (\(className)) is a cell: call step(_:states:training:) or wrap it in RNN(cell:)"
    )
  }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    [inputShapes[0].first ?? nil, units]
  }
}
