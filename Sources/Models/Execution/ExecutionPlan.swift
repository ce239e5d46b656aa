import SwiftKerasCore
import SwiftKerasLayers

/// How a model runs: its layers' calls in order, each reading and writing numbered value
/// slots, with the pairs a ``FusionRule`` covers run as one op. A Functional model's graph
/// and a Sequential's stack build the same kind of plan, so both run (and fuse) alike; the
/// layers themselves only call ops.
///
/// A plan never changes once made (a model makes a new one when its layers change), so
/// threads running one model share it.
package struct ExecutionPlan: @unchecked Sendable {
  /// One call: a layer (or a fused pair) from input slots to output slots.
  package struct Step {
    package let layer: Layer
    /// The layer computed together with ``layer``, and the rule doing it.
    package let fused: (layer: Layer, rule: any FusionRule)?
    let inputs: [Int]
    let outputs: [Int]
    /// The call's keyword arguments (a functional node's `kwargs`).
    var arguments: CallArguments = .none
  }

  /// The calls in order.
  package private(set) var steps: [Step] = []
  private let inputSlots: [Int]
  private let outputSlots: [Int]
  private let slotCount: Int

  /// The plan of a functional graph. A node is fused with the one node reading its output
  /// when that output is nothing else's input and not a model output.
  init(graph: GraphMap, inputs: [KerasTensor], outputs: [KerasTensor]) {
    var slots: [ObjectIdentifier: Int] = [:]
    func slot(_ tensor: KerasTensor) -> Int {
      if let known = slots[ObjectIdentifier(tensor)] { return known }
      slots[ObjectIdentifier(tensor)] = slots.count
      return slots.count - 1
    }
    let inputSlots = inputs.map(slot)
    var readers: [ObjectIdentifier: [Node]] = [:]
    for node in graph.executionOrder {
      for input in node.inputs { readers[ObjectIdentifier(input), default: []].append(node) }
    }
    let outputIDs = Set(outputs.map { ObjectIdentifier($0) })
    var fusedAway = Set<ObjectIdentifier>()
    for node in graph.executionOrder where !fusedAway.contains(ObjectIdentifier(node)) {
      var fused: (Layer, any FusionRule)?
      var last = node
      if node.inputs.count == 1, node.outputs.count == 1, node.arguments.isEmpty,
        !outputIDs.contains(ObjectIdentifier(node.outputs[0])),
        let users = readers[ObjectIdentifier(node.outputs[0])], users.count == 1,
        let next = users.first, next.inputs.count == 1, next.outputs.count == 1,
        next.arguments.isEmpty,
        let rule = fusionRules.first(where: { $0.fuses(node.layer, next.layer) })
      {
        fused = (next.layer, rule)
        last = next
        fusedAway.insert(ObjectIdentifier(next))
      }
      steps.append(
        Step(
          layer: node.layer, fused: fused, inputs: node.inputs.map(slot),
          outputs: last.outputs.map(slot), arguments: node.arguments))
    }
    self.inputSlots = inputSlots
    outputSlots = outputs.map(slot)
    slotCount = slots.count
  }

  /// The plan of a stack of layers, each reading the previous one's output.
  init(chain layers: [Layer]) {
    var index = 0
    var slot = 0
    while index < layers.count {
      let layer = layers[index]
      var fused: (Layer, any FusionRule)?
      if index + 1 < layers.count,
        let rule = fusionRules.first(where: { $0.fuses(layer, layers[index + 1]) })
      {
        fused = (layers[index + 1], rule)
      }
      steps.append(Step(layer: layer, fused: fused, inputs: [slot], outputs: [slot + 1]))
      slot += 1
      index += fused == nil ? 1 : 2
    }
    inputSlots = [0]
    outputSlots = [slot]
    slotCount = slot + 1
  }

  /// The outputs for `inputs` (one per input slot).
  func run(_ inputs: [Tensor], training: Bool) throws -> [Tensor] {
    try runWithMasks(inputs, training: training).outputs
  }

  /// The outputs for `inputs` and the masks they carry, as Keras's `_keras_mask`: a layer
  /// that makes a mask (`Embedding(maskZero: true)`, `Masking`) starts one, the layers
  /// after it that support masking receive it with their first input and pass it on
  /// (``Layer/computeMask(_:mask:)``), the others drop it.
  func runWithMasks(_ inputs: [Tensor], masks inputMasks: [Tensor?] = [], training: Bool)
    throws -> (
      outputs: [Tensor], masks: [Tensor?]
    )
  {
    var values = [Tensor?](repeating: nil, count: slotCount)
    var masks = [Tensor?](repeating: nil, count: slotCount)
    for (slot, value) in zip(inputSlots, inputs) { values[slot] = value }
    for (slot, mask) in zip(inputSlots, inputMasks) { masks[slot] = mask }
    for step in steps {
      let arguments = try step.inputs.map { slot -> Tensor in
        guard let value = values[slot] else {
          throw SwiftKerasError(
            .invalidState, "layer '\(step.layer.name)' is missing an input")
        }
        return value
      }
      let inputMasks = step.inputs.map { masks[$0] }
      let mask = inputMasks.first ?? nil
      let results: [Tensor]
      var outputMask: Tensor?
      if let (next, rule) = step.fused {
        let firstMask = try step.layer.computeMask(arguments, masks: inputMasks)
        if mask == nil, firstMask == nil, rule.fuses(step.layer, next) {
          // Hyperparameters are variables: the pair is checked again when it runs.
          results = [try rule.run(step.layer, next, arguments[0], training: training)]
        } else {
          let middle = try step.layer.callOutputs(arguments, mask: mask, training: training)
          results = try next.callOutputs(middle, mask: firstMask, training: training)
          outputMask = try next.computeMask(middle, mask: firstMask)
        }
      } else if !step.arguments.isEmpty || type(of: step.layer).takesSeparateInputs
        || type(of: step.layer).readsEveryInputMask
      {
        // Attention layers: every input's mask and the call's keyword arguments.
        results = try step.layer.callOutputs(
          arguments, masks: inputMasks, arguments: step.arguments, training: training)
        outputMask = try step.layer.computeMask(
          arguments, masks: inputMasks, arguments: step.arguments)
      } else if let nested = step.layer as? Model {
        // A nested model's outputs keep the masks made inside it.
        let (outputs, outputMasks) = try nested.outputsAndMasks(
          arguments, masks: inputMasks, training: training)
        results = outputs
        for (slot, nestedMask) in zip(step.outputs, outputMasks) { masks[slot] = nestedMask }
      } else if inputMasks.contains(where: { $0 != nil }) || step.outputs.count > 1 {
        // Layers with several outputs (an RNN returning its states) or given masks.
        results = try step.layer.callOutputs(arguments, masks: inputMasks, training: training)
        outputMask = try step.layer.computeMask(arguments, masks: inputMasks)
      } else {
        results = [try step.layer(arguments, training: training)]
        outputMask = try step.layer.computeMask(arguments, masks: inputMasks)
      }
      for (slot, value) in zip(step.outputs, results) { values[slot] = value }
      if !(step.layer is Model), let first = step.outputs.first { masks[first] = outputMask }
    }
    let outputs = try outputSlots.map { slot in
      guard let value = values[slot] else {
        throw SwiftKerasError(.invalidState, "an output of the model was not computed")
      }
      return value
    }
    return (outputs, outputSlots.map { masks[$0] })
  }
}
