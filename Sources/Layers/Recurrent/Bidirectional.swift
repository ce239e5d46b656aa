import SwiftKerasCore

/// Runs a recurrent layer over the sequence in both directions and merges the two
/// outputs, as `keras.layers.Bidirectional`.
///
/// The layer given is copied twice: a forward copy named `forward_<name>` and a backward
/// copy named `backward_<name>` with `goBackwards` flipped (or `backwardLayer` when
/// given). The backward sequence output is reversed back into time order before merging
/// with `mergeMode`: `"concat"` (the default, on the last axis), `"sum"`, `"mul"`,
/// `"ave"`, or nil for the two outputs separately. Initial states are the forward layer's
/// then the backward layer's; with `returnState` the final states follow in that order.
/// A weights file keeps the copies under `forward_layer` and `backward_layer`.
///
/// ```swift
/// let model = try Sequential([Input(shape: [20, 8]), Bidirectional(LSTM(16)), Dense(1)])
/// ```
public final class Bidirectional: Layer, ConfigInitializable {
  /// The forward layer, serialized under Keras's `layer` key.
  @Config("layer", required: true) public var forwardEntry = NestedLayer()
  /// How the two directions are merged: `"concat"`, `"sum"`, `"mul"`, `"ave"`, or nil.
  @Config public var mergeMode: String? = "concat"
  /// The backward layer (a flipped copy of the forward one unless given).
  @Config("backward_layer") public var backwardEntry = NestedLayer()

  /// Wraps `layer`, a recurrent layer; `backwardLayer` replaces the flipped copy.
  public convenience init(
    _ layer: BaseRNN, mergeMode: String? = "concat", backwardLayer: BaseRNN? = nil,
    inputShape: [Int?]? = nil, name: String? = nil
  ) {
    self.init(name: name)
    let base = layer.name.hasPrefix("forward_") ? String(layer.name.dropFirst(8)) : layer.name
    forwardEntry = NestedLayer(copy(of: layer, name: "forward_" + base) ?? layer)
    backwardEntry = NestedLayer(
      backwardLayer ?? copy(of: layer, name: "backward_" + base, flippingDirection: true))
    self.mergeMode = mergeMode
    requestedInputShape = inputShape ?? layer.requestedInputShape
  }

  /// The forward recurrent layer.
  public var forwardLayer: BaseRNN? { forwardEntry.layer as? BaseRNN }
  /// The backward recurrent layer.
  public var backwardLayer: BaseRNN? { backwardEntry.layer as? BaseRNN }

  public override var sublayers: [Layer] { [forwardLayer, backwardLayer].compactMap { $0 } }

  /// Keras's weights files keep the two layers under `forward_layer` and `backward_layer`.
  public override var savedSublayers: [(path: String, layer: Layer)]? {
    var named: [(path: String, layer: Layer)] = []
    if let forwardLayer { named.append(("forward_layer", forwardLayer)) }
    if let backwardLayer { named.append(("backward_layer", backwardLayer)) }
    return named
  }

  /// The two layers, checked as Keras checks them.
  private func directions() throws -> (forward: BaseRNN, backward: BaseRNN) {
    guard let forward = forwardLayer else {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(name)' (Bidirectional) wraps a recurrent layer, got \(forwardEntry.layer.map { "'\($0.name)' (\($0.className))" } ?? "none")"
      )
    }
    if backwardEntry.layer == nil {
      backwardEntry = NestedLayer(
        copy(
          of: forward, name: "backward_" + forward.name.replacingPrefix("forward_"),
          flippingDirection: true))
    }
    guard let backward = backwardLayer else {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(name)' (Bidirectional): the backward layer must be a recurrent layer, and '\(forward.className)' cannot be copied from its config; pass backwardLayer"
      )
    }
    guard forward.goBackwards != backward.goBackwards else {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(name)' (Bidirectional): the forward and backward layers must have different goBackwards, both have \(forward.goBackwards)"
      )
    }
    guard forward.returnSequences == backward.returnSequences,
      forward.returnState == backward.returnState, forward.stateful == backward.stateful
    else {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(name)' (Bidirectional): the forward and backward layers must agree on returnSequences, returnState and stateful"
      )
    }
    guard mergeMode == nil || ["concat", "sum", "mul", "ave"].contains(mergeMode ?? "") else {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(name)' (Bidirectional): mergeMode must be concat, sum, mul, ave or nil, got '\(mergeMode ?? "")'"
      )
    }
    // Masked steps of a sequence output are zeros in both directions, as in Keras.
    forward.zeroOutputForMask = forward.returnSequences
    backward.zeroOutputForMask = backward.returnSequences
    return (forward, backward)
  }

  /// Forgets both directions' carried states (stateful layers).
  public func resetStates() {
    forwardLayer?.resetStates()
    backwardLayer?.resetStates()
  }

  public override func build(inputShapes: [Shape]) throws {
    let (forward, backward) = try directions()
    let states = Array(inputShapes.dropFirst())
    let half = states.count / 2
    try forward.ensureBuilt(inputShapes: [inputShapes[0]] + states.prefix(half))
    try backward.ensureBuilt(inputShapes: [inputShapes[0]] + states.dropFirst(half))
  }

  public override func checkInputs(_ shapes: [[Int]]) throws {}

  public override var supportsMasking: Bool { true }

  public override func computeMask(_ inputs: [Tensor], mask: Tensor?) throws -> Tensor? {
    (forwardLayer?.returnSequences ?? false) ? mask : nil
  }

  public override func call(_ inputs: [Tensor], training: Bool) throws -> Tensor {
    try outputs(inputs, mask: nil, training: training)[0]
  }

  public override func callOutputs(_ inputs: [Tensor], training: Bool) throws -> [Tensor] {
    try callOutputs(inputs, mask: nil, training: training)
  }

  public override func callOutputs(_ inputs: [Tensor], mask: Tensor?, training: Bool) throws
    -> [Tensor]
  {
    try prepareCall(inputs.map { $0.shape })
    var results = try outputs(inputs, mask: mask, training: training)
    results[0] = finishCall(results[0])
    return results
  }

  private func outputs(_ inputs: [Tensor], mask: Tensor?, training: Bool) throws -> [Tensor] {
    let (forward, backward) = try directions()
    let states = Array(inputs.dropFirst())
    let half = states.count / 2
    let ahead = try forward.callOutputs(
      [inputs[0]] + states.prefix(half), mask: mask, training: training)
    let behind = try backward.callOutputs(
      [inputs[0]] + states.dropFirst(half), mask: mask, training: training)
    let y = ahead[0]
    var reversed = behind[0]
    if forward.returnSequences { reversed = reversedInTime(reversed) }
    let merged: [Tensor]
    switch mergeMode {
    case "concat": merged = [Tensor.concatenate([y, reversed], alongAxis: y.rank - 1)]
    case "sum": merged = [y + reversed]
    case "mul": merged = [y * reversed]
    case "ave": merged = [(y + reversed) / 2]
    default: merged = [y, reversed]
    }
    return merged + ahead.dropFirst() + behind.dropFirst()
  }

  /// `x` (`[batch, steps, ...]`) with its time axis reversed, as one tape operation whose
  /// gradient is the same reversal.
  private func reversedInTime(_ x: Tensor) -> Tensor {
    func flipped(_ source: Tensor) -> Tensor {
      let (batch, steps) = (source.shape[0], source.shape[1])
      let block = batch * steps == 0 ? 0 : source.count / (batch * steps)
      let result = TensorStorage(uninitializedCount: source.count)
      for b in 0..<batch {
        for t in 0..<steps {
          (result.base + (b * steps + t) * block).update(
            from: source.storage.base + (b * steps + steps - 1 - t) * block, count: block)
        }
      }
      return Tensor(shape: source.shape, storage: result)
    }
    return flipped(x).recorded(from: x) { flipped($0) }
  }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    try symbolicOutputShapes(inputShapes: inputShapes)[0]
  }

  public override func symbolicOutputShapes(inputShapes: [Shape]) throws -> [Shape] {
    let (forward, backward) = try directions()
    let ahead = try forward.symbolicOutputShapes(inputShapes: [inputShapes[0]])
    let behind = try backward.symbolicOutputShapes(inputShapes: [inputShapes[0]])
    var output = ahead[0]
    let merged: [Shape]
    switch mergeMode {
    case "concat":
      if let a = ahead[0].last ?? nil, let b = behind[0].last ?? nil {
        output[output.count - 1] = a + b
      }
      merged = [output]
    case nil: merged = [ahead[0], behind[0]]
    default: merged = [output]
    }
    return merged + ahead.dropFirst() + behind.dropFirst()
  }
}

/// A copy of `layer` made from its config (with a new name, and `goBackwards` flipped
/// when asked), or nil when its class cannot be rebuilt from a config.
func copy(of layer: Layer, name: String, flippingDirection: Bool = false) -> Layer? {
  guard let type = type(of: layer) as? any ConfigInitializable.Type else { return nil }
  var config = layer.getConfig()
  config["name"] = .string(name)
  if flippingDirection, let backwards = config["go_backwards"]?.boolValue {
    config["go_backwards"] = .bool(!backwards)
  }
  let copy = try? type.init(config: LayerConfig(className: layer.className, values: config))
  copy?.requestedInputShape = layer.requestedInputShape
  return copy
}

extension String {
  /// The string without `prefix` at its start.
  fileprivate func replacingPrefix(_ prefix: String) -> String {
    hasPrefix(prefix) ? String(dropFirst(prefix.count)) : self
  }
}
