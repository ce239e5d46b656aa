import SwiftKerasCore

/// What every recurrent layer shares, as Keras's `RNN` base class: the loop over time
/// steps that calls a ``RecurrentCell``, the flags `returnSequences`, `returnState`,
/// `goBackwards`, `stateful`, `unroll` and `zeroOutputForMask`, initial states, and masks.
///
/// Inputs are `[batch, steps, features]`; the output is the last step's output `[batch,
/// units]`, or every step's `[batch, steps, units]` with `returnSequences`. With
/// `returnState` the final states follow the output (``callOutputs(_:training:)`` returns
/// them all). Initial states are passed as further inputs: `layer([x, h0, c0])`.
///
/// Where a mask is 0 a step is skipped: the states carry over unchanged and the step's
/// output repeats the previous one (zeros with `zeroOutputForMask`), as Keras does.
public class BaseRNN: Layer {
  /// Whether the output holds every step (`[batch, steps, units]`) or only the last.
  @Config public var returnSequences = false
  /// Whether the final states are returned after the output.
  @Config public var returnState = false
  /// Whether the sequence is processed from the last step to the first (the sequence
  /// output then comes in processing order, as Keras's).
  @Config public var goBackwards = false
  /// Whether each batch's final states are the next batch's initial states (until
  /// ``resetStates()``); samples are matched by their position in the batch.
  @Config public var stateful = false
  /// Keras's loop unrolling flag; kept for configs (the loop here is always a Swift loop).
  @Config public var unroll = false
  /// Whether masked steps output zeros instead of the previous step's output.
  @Config public var zeroOutputForMask = false

  /// The states kept between batches by a stateful layer.
  private var carriedStates: [Tensor]?

  /// Creates the layer (the subclasses' initializers set the cell and the flags).
  public override init(name: String? = nil) {
    super.init(name: name)
  }

  /// Creates the layer from its Keras config: the flags and, for ``SimpleRNN``, ``LSTM``
  /// and ``GRU``, the cell's hyperparameters, which their configs hold inline.
  public override init(config: LayerConfig) throws {
    try super.init(config: config)
    if let cell = inlineCell {
      for (key, property) in configProperties(of: cell) {
        try property.decode(from: config, key: key)
      }
    }
  }

  /// The cell (nil only for an RNN whose cell is missing).
  public var recurrentCell: (any RecurrentCell)? { nil }

  /// The cell whose hyperparameters the layer's config holds inline (LSTM, GRU,
  /// SimpleRNN), or nil when the config has a `cell` entry.
  var inlineCell: Layer? { nil }

  /// Keys of the inline cell's config the layer's config leaves out (SimpleRNN's has no
  /// `seed`, as Keras's).
  class var omittedCellKeys: Set<String> { [] }

  public override func getConfig() -> [String: ConfigValue] {
    var config = super.getConfig()
    if let cell = inlineCell {
      for (key, property) in configProperties(of: cell) where !Self.omittedCellKeys.contains(key) {
        property.encode(into: &config, key: key)
      }
    }
    return config
  }

  public override var sublayers: [Layer] { recurrentCell.map { [$0] } ?? [] }

  /// Keras's weights files keep the cell under `cell`.
  public override var savedSublayers: [(path: String, layer: Layer)]? {
    recurrentCell.map { [("cell", $0)] } ?? []
  }

  /// The cell, or an error naming the layer.
  func requireCell() throws -> any RecurrentCell {
    guard let cell = recurrentCell else {
      throw SwiftKerasError(.invalidState, "layer '\(name)' (\(className)) has no cell")
    }
    return cell
  }

  public override func build(inputShapes: [Shape]) throws {
    let cell = try requireCell()
    guard let sequence = inputShapes.first, sequence.count == 3, let features = sequence[2] else {
      throw SwiftKerasError(
        .shapeMismatch,
        "layer '\(name)' (\(className)) expects inputs [batch, steps, features] with a known feature axis, got \(inputShapes.first.map(formatShape) ?? "no input")"
      )
    }
    try cell.ensureBuilt(inputShapes: [[sequence[0], features]])
    try checkStateShapes(Array(inputShapes.dropFirst()).map { $0.last ?? nil }, cell: cell)
  }

  private func checkStateShapes(_ widths: [Int?], cell: any RecurrentCell) throws {
    guard widths.isEmpty || widths.count == cell.stateSizes.count else {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(name)' (\(className)) expects \(cell.stateSizes.count) initial state(s) after the sequence, got \(widths.count)"
      )
    }
    for (width, expected) in zip(widths, cell.stateSizes) where width != nil && width != expected {
      throw SwiftKerasError(
        .shapeMismatch,
        "layer '\(name)' (\(className)): initial states must be [batch, \(cell.stateSizes.map(String.init).joined(separator: " / "))], got width \(width.map(String.init) ?? "?")"
      )
    }
  }

  public override func checkInputs(_ shapes: [[Int]]) throws {
    let cell = try requireCell()
    guard let sequence = shapes.first, sequence.count == 3,
      sequence[2] == builtInputShapes.first?.last ?? nil
    else {
      throw SwiftKerasError(
        .shapeMismatch,
        "layer '\(name)' (\(className)) expects input shape \(builtInputShapes.first.map(formatShape) ?? "?"), got \(shapes.first.map { formatShape($0.map { Optional($0) }) } ?? "no input")"
      )
    }
    try checkStateShapes(shapes.dropFirst().map { $0.count == 2 ? $0[1] : -1 }, cell: cell)
    for state in shapes.dropFirst() where state.first != sequence[0] {
      throw SwiftKerasError(
        .shapeMismatch,
        "layer '\(name)' (\(className)): an initial state has shape \(state), the batch has \(sequence[0]) samples"
      )
    }
  }

  public override func call(_ inputs: [Tensor], training: Bool) throws -> Tensor {
    try run(inputs, mask: nil, training: training)[0]
  }

  public override func callOutputs(_ inputs: [Tensor], training: Bool) throws -> [Tensor] {
    try callOutputs(inputs, mask: nil, training: training)
  }

  public override func callOutputs(_ inputs: [Tensor], mask: Tensor?, training: Bool) throws
    -> [Tensor]
  {
    try prepareCall(inputs.map { $0.shape })
    var outputs = try run(inputs, mask: mask, training: training)
    outputs[0] = finishCall(outputs[0])
    return outputs
  }

  /// A recurrent layer takes masks: the sequence output keeps the input's mask, the last
  /// output has none.
  public override var supportsMasking: Bool { true }

  public override func computeMask(_ inputs: [Tensor], mask: Tensor?) throws -> Tensor? {
    returnSequences ? mask : nil
  }

  /// The output (and, with `returnState`, the final states) for `inputs` (the sequence,
  /// then optional initial states) with an optional `[batch, steps]` mask of 0 and 1.
  func run(_ inputs: [Tensor], mask: Tensor?, training: Bool) throws -> [Tensor] {
    let cell = try requireCell()
    let sequence = inputs[0]
    let batch = sequence.shape[0]
    let steps = sequence.shape[1]
    let features = sequence.shape[2]
    guard steps > 0 else {
      throw SwiftKerasError(
        .shapeMismatch, "layer '\(name)' (\(className)) needs at least one time step, got 0")
    }
    if let mask, mask.shape != [batch, steps] {
      throw SwiftKerasError(
        .shapeMismatch,
        "layer '\(name)' (\(className)): the mask must be [batch, steps] = [\(batch), \(steps)], got \(mask.shape)"
      )
    }
    var states: [Tensor]
    if inputs.count > 1 {
      states = Array(inputs.dropFirst())
    } else if stateful, let carried = carriedStates, carried.first?.shape.first == batch {
      states = carried
    } else if stateful, let carried = carriedStates, let expected = carried.first?.shape.first {
      throw SwiftKerasError(
        .shapeMismatch,
        "layer '\(name)' (\(className)) is stateful with batch size \(expected), got a batch of \(batch)"
      )
    } else {
      states = cell.stateSizes.map { Tensor.zeros([batch, $0]) }
    }
    // A plain LSTM runs as one fused kernel (one tape entry, no per-step allocation);
    // masks, dropout, returned states and differentiable initial states take the loop.
    if mask == nil, !returnState, let lstm = cell as? LSTMCell, lstm.runsFused(training: training),
      states.allSatisfy({ $0.recordingTape == nil })
    {
      let (kernel, recurrent, bias) = try lstm.builtWeights()
      let (output, h, c) = Tensor.fusedLSTMSequence(
        sequence, kernel: kernel, recurrentKernel: recurrent, bias: bias, initialH: states[0],
        initialC: states[1], goBackwards: goBackwards, returnSequences: returnSequences)
      if stateful { carriedStates = [h, c] }
      return [output]
    }
    cell.resetDropoutMasks()
    defer { cell.resetDropoutMasks() }
    var outputs: [Tensor] = []
    outputs.reserveCapacity(returnSequences ? steps : 0)
    var previous = Tensor.zeros([batch, cell.outputSize])
    for k in 0..<steps {
      let t = goBackwards ? steps - 1 - k : k
      let input = sequence.slice(t..<(t + 1), alongAxis: 1).reshaped(to: [batch, features])
      var (output, next) = try cell.step(input, states: states, training: training)
      if let mask {
        let kept = mask.slice(t..<(t + 1), alongAxis: 1)
        next = zip(next, states).map { `where`(kept, $0, $1) }
        output = `where`(kept, output, zeroOutputForMask ? Tensor.zeros(output.shape) : previous)
      }
      states = next
      previous = output
      if returnSequences { outputs.append(output) }
    }
    if stateful { carriedStates = states.map { $0.detached } }
    let result = returnSequences ? Tensor.stack(outputs, alongAxis: 1) : previous
    return returnState ? [result] + states : [result]
  }

  /// Forgets a stateful layer's carried states: the next batch starts from zeros.
  public func resetStates() {
    carriedStates = nil
  }

  /// The states a stateful layer carries into the next batch (nil before the first).
  public var states: [Tensor]? { carriedStates }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    try symbolicOutputShapes(inputShapes: inputShapes)[0]
  }

  public override func symbolicOutputShapes(inputShapes: [Shape]) throws -> [Shape] {
    let cell = try requireCell()
    let sequence = inputShapes[0]
    let batch = sequence.first ?? nil
    let steps = sequence.count > 1 ? sequence[1] : nil
    let output: Shape =
      returnSequences ? [batch, steps, cell.outputSize] : [batch, cell.outputSize]
    return returnState ? [output] + cell.stateSizes.map { [batch, $0] } : [output]
  }
}
