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
      if node.inputs.count == 1, node.outputs.count == 1,
        !outputIDs.contains(ObjectIdentifier(node.outputs[0])),
        let users = readers[ObjectIdentifier(node.outputs[0])], users.count == 1,
        let next = users.first, next.inputs.count == 1, next.outputs.count == 1,
        let rule = fusionRules.first(where: { $0.fuses(node.layer, next.layer) })
      {
        fused = (next.layer, rule)
        last = next
        fusedAway.insert(ObjectIdentifier(next))
      }
      steps.append(
        Step(
          layer: node.layer, fused: fused, inputs: node.inputs.map(slot),
          outputs: last.outputs.map(slot)))
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
    var values = [Tensor?](repeating: nil, count: slotCount)
    for (slot, value) in zip(inputSlots, inputs) { values[slot] = value }
    for step in steps {
      let arguments = try step.inputs.map { slot -> Tensor in
        guard let value = values[slot] else {
          throw SwiftKerasError(
            .invalidState, "layer '\(step.layer.name)' is missing an input")
        }
        return value
      }
      let results: [Tensor]
      if let (next, rule) = step.fused {
        // Hyperparameters are variables: the pair is checked again when it runs.
        results =
          rule.fuses(step.layer, next)
          ? [try rule.run(step.layer, next, arguments[0], training: training)]
          : [try next(try step.layer(arguments[0], training: training), training: training)]
      } else if step.layer is Model || step.outputs.count > 1 {
        // Models and layers with several outputs (an RNN returning its states).
        results = try step.layer.callOutputs(arguments, training: training)
      } else {
        results = [try step.layer(arguments, training: training)]
      }
      for (slot, value) in zip(step.outputs, results) { values[slot] = value }
    }
    return try outputSlots.map { slot in
      guard let value = values[slot] else {
        throw SwiftKerasError(.invalidState, "an output of the model was not computed")
      }
      return value
    }
  }
}
