import SwiftKerasCore

/// What ``ConvLSTM1D`` and ``ConvLSTM2D`` share, as Keras's `ConvLSTM`: a
/// ``ConvLSTMCell`` run over the time steps of `[batch, steps, spatial..., channels]`
/// inputs (channels last). The output is the last step's `[batch, outSpatial...,
/// filters]`, or every step's `[batch, steps, outSpatial..., filters]` with
/// `returnSequences`; with `returnState` the final `h` and `c` (each `[batch,
/// outSpatial..., filters]`) follow. Masks, `goBackwards`, `stateful` and initial states
/// behave as for ``LSTM``.
///
/// Its config holds the cell's hyperparameters inline, as Keras's, and its weights live in
/// the cell (`layers/conv_lstm2d/cell/vars/0..2` in a weights file).
public class BaseConvLSTM: BaseRNN {
  /// The number of spatial axes (1 or 2).
  public class var rank: Int { 2 }

  /// The cell holding the hyperparameters and the weights.
  public let cell = ConvLSTMCell(name: "conv_lstm_cell")

  /// Creates the layer with Keras's defaults. Sizes are an integer for every axis, a tuple
  /// such as `(3, 3)` or an array.
  public convenience init(
    _ filters: Int, kernelSize: any Sendable, strides: any Sendable = 1,
    padding: String = "valid", dataFormat: String = "channels_last",
    dilationRate: any Sendable = 1, activation: ActivationFunction = .tanh,
    recurrentActivation: ActivationFunction = .sigmoid, useBias: Bool = true,
    kernelInitializer: any Initializer = GlorotUniform(),
    recurrentInitializer: any Initializer = Orthogonal(),
    biasInitializer: any Initializer = Zeros(), unitForgetBias: Bool = true,
    kernelRegularizer: (any Regularizer)? = nil, recurrentRegularizer: (any Regularizer)? = nil,
    biasRegularizer: (any Regularizer)? = nil, activityRegularizer: (any Regularizer)? = nil,
    kernelConstraint: (any Constraint)? = nil, recurrentConstraint: (any Constraint)? = nil,
    biasConstraint: (any Constraint)? = nil,
    dropout: Float = 0, recurrentDropout: Float = 0, seed: UInt64? = nil,
    returnSequences: Bool = false, returnState: Bool = false, goBackwards: Bool = false,
    stateful: Bool = false, inputShape: [Int?]? = nil, name: String? = nil
  ) {
    self.init(name: name)
    cell.filters = filters
    cell.window = ConvolutionWindow(
      rank: Self.rank, kernelSize: kernelSize, strides: strides, padding: padding,
      dilationRate: dilationRate, dataFormat: dataFormat)
    cell.activation = activation
    cell.recurrentActivation = recurrentActivation
    cell.useBias = useBias
    cell.kernelOptions = WeightOptions(kernelInitializer, kernelRegularizer, kernelConstraint)
    cell.recurrentOptions = WeightOptions(
      recurrentInitializer, recurrentRegularizer, recurrentConstraint)
    cell.biasOptions = WeightOptions(biasInitializer, biasRegularizer, biasConstraint)
    cell.unitForgetBias = unitForgetBias
    cell.dropout = dropout
    cell.recurrentDropout = recurrentDropout
    cell.seed = seed
    self.activityRegularizer = activityRegularizer
    setFlags(returnSequences, returnState, goBackwards, stateful, false)
    requestedInputShape = inputShape
  }

  public override class var configListsActivityRegularizer: Bool { true }
  public override var recurrentCell: (any RecurrentCell)? { cell }
  override var inlineCell: Layer? { cell }

  /// The number of output channels.
  public var filters: Int { cell.filters }
  /// The window extent per spatial axis.
  public var kernelSize: [Int] { cell.window.kernelSize }
  /// The step between windows per spatial axis.
  public var strides: [Int] { cell.window.strides }
  /// `"valid"` or `"same"`.
  public var padding: String { cell.window.padding }
  /// The spacing between kernel taps per spatial axis.
  public var dilationRate: [Int] { cell.window.dilationRate }

  private var label: String { "\(name)' (\(className)" }

  /// The spatial output extents and filters of one step, for a sequence shape.
  private func stepOutputShape(_ sequence: Shape) throws -> Shape {
    try cell.outputExtents(Array(sequence.dropFirst(2).dropLast()), rank: Self.rank, layer: label)
      + [cell.filters]
  }

  public override func build(inputShapes: [Shape]) throws {
    let rank = Self.rank
    guard let sequence = inputShapes.first, sequence.count == rank + 3,
      sequence.dropFirst(2).allSatisfy({ $0 != nil })
    else {
      throw SwiftKerasError(
        .shapeMismatch,
        "layer '\(label)) expects inputs [batch, steps, \(rank == 1 ? "length" : "height, width"), channels] with known spatial and channel axes, got \(inputShapes.first.map(formatShape) ?? "no input")"
      )
    }
    try cell.ensureBuilt(inputShapes: [[sequence[0]] + Array(sequence.dropFirst(2))])
    let state = try stepOutputShape(sequence)
    let states = Array(inputShapes.dropFirst())
    guard states.isEmpty || states.count == 2 else {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(label)) expects 2 initial states (h, c) after the sequence, got \(states.count)")
    }
    for shape in states where Array(shape.dropFirst()) != state {
      throw SwiftKerasError(
        .shapeMismatch,
        "layer '\(label)): initial states must be [batch, \(state.map { $0.map(String.init) ?? "?" }.joined(separator: ", "))], got \(formatShape(shape))"
      )
    }
  }

  public override func checkInputs(_ shapes: [[Int]]) throws {
    let expected = builtInputShapes.first ?? []
    guard let sequence = shapes.first, sequence.count == expected.count,
      zip(sequence.dropFirst(2), expected.dropFirst(2)).allSatisfy({ $0 == $1 })
    else {
      throw SwiftKerasError(
        .shapeMismatch,
        "layer '\(label)) expects input shape \(formatShape(expected)), got \(shapes.first.map { formatShape($0.map { Optional($0) }) } ?? "no input")"
      )
    }
    let state = [sequence[0]] + cell.outputSpatialShape + [cell.filters]
    guard shapes.count == 1 || shapes.count == 3 else {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(label)) expects 2 initial states (h, c) after the sequence, got \(shapes.count - 1)"
      )
    }
    for shape in shapes.dropFirst() where shape != state {
      throw SwiftKerasError(
        .shapeMismatch,
        "layer '\(label)): initial states must have shape \(state), got \(shape)")
    }
  }

  /// The output and states computed by the recurrent loop on flattened steps, reshaped to
  /// the spatial shapes.
  override func run(_ inputs: [Tensor], mask: Tensor?, training: Bool) throws -> [Tensor] {
    let sequence = inputs[0]
    let (batch, steps) = (sequence.shape[0], sequence.shape[1])
    let flat =
      [sequence.reshaped(to: [batch, steps, sequence.shape.dropFirst(2).reduce(1, *)])]
      + inputs.dropFirst().map { $0.reshaped(to: [batch, cell.outputSize]) }
    let outputs = try super.run(flat, mask: mask, training: training)
    let step = cell.outputSpatialShape + [cell.filters]
    return outputs.enumerated().map { k, output in
      output.reshaped(to: [batch] + (k == 0 && returnSequences ? [steps] : []) + step)
    }
  }

  /// The states a stateful layer carries into the next batch, `[h, c]` each `[batch,
  /// outSpatial..., filters]` (nil before the first).
  public override var states: [Tensor]? {
    super.states?.map { $0.reshaped(to: [$0.shape[0]] + cell.outputSpatialShape + [cell.filters]) }
  }

  public override func symbolicOutputShapes(inputShapes: [Shape]) throws -> [Shape] {
    let sequence = inputShapes[0]
    guard sequence.count == Self.rank + 3 else {
      throw SwiftKerasError(
        .shapeMismatch,
        "layer '\(label)) expects inputs of rank \(Self.rank + 3), got \(formatShape(sequence))")
    }
    let batch = sequence[0]
    let state = [batch] + (try stepOutputShape(sequence))
    let output: Shape = returnSequences ? [batch, sequence[1]] + state.dropFirst() : state
    return returnState ? [output, state, state] : [output]
  }
}
