import SwiftKerasCore
import SwiftKerasLayers
import SwiftKerasTraining

/// The nodes and layers of a functional graph between given inputs and outputs, ordered
/// as Keras's `map_graph` orders them (inputs first, then by decreasing depth).
package struct GraphMap {
  /// Nodes to run, inputs excluded, each after the nodes it reads from.
  package var executionOrder: [Node] = []
  /// Layers by decreasing depth, input layers first.
  package var layers: [Layer] = []
  /// Every node of the graph, input nodes included (for "Connected to").
  package var nodes: [Node] = []
  /// Nodes grouped by depth (0 = outputs).
  package var nodesByDepth: [Int: [Node]] = [:]

  init(inputs: [KerasTensor], outputs: [KerasTensor]) throws {
    let inputIDs = Set(inputs.map { ObjectIdentifier($0) })
    var finished = Set<ObjectIdentifier>()
    var inProgress = Set<ObjectIdentifier>()
    var decreasingDepth: [Node] = []
    var layerIndex: [ObjectIdentifier: Int] = [:]
    var layerList: [Layer] = []

    func visit(_ tensor: KerasTensor) throws {
      let node = tensor.node
      let key = ObjectIdentifier(node)
      if finished.contains(key) { return }
      if inProgress.contains(key) {
        throw SwiftKerasError(
          .invalidArgument, "the graph has a cycle through layer '\(node.layer.name)'")
      }
      let layerKey = ObjectIdentifier(node.layer)
      if layerIndex[layerKey] == nil {
        layerIndex[layerKey] = layerList.count
        layerList.append(node.layer)
      }
      inProgress.insert(key)
      if !inputIDs.contains(ObjectIdentifier(tensor)) {
        if node.inputs.isEmpty {
          throw SwiftKerasError(
            .invalidArgument,
            "the model's outputs depend on input '\(node.layer.name)' with shape \(formatShape(tensor.shape)), which is not among the model's inputs (\(inputs.map { $0.name }.joined(separator: ", ")))"
          )
        }
        for input in node.inputs { try visit(input) }
      }
      finished.insert(key)
      inProgress.remove(key)
      decreasingDepth.append(node)
    }
    for output in outputs { try visit(output) }

    // Depths as Keras computes them: outputs 0, each parent deeper than its children.
    var nodeDepth: [ObjectIdentifier: Int] = [:]
    var layerDepth: [ObjectIdentifier: Int] = [:]
    for node in decreasingDepth.reversed() {
      let key = ObjectIdentifier(node)
      var depth = nodeDepth[key] ?? 0
      depth = max(depth, layerDepth[ObjectIdentifier(node.layer)] ?? 0)
      layerDepth[ObjectIdentifier(node.layer)] = depth
      nodeDepth[key] = depth
      for parent in node.inputs.map({ $0.node }) {
        nodeDepth[ObjectIdentifier(parent)] = max(
          depth + 1, nodeDepth[ObjectIdentifier(parent)] ?? 0)
      }
    }
    for input in inputs where layerDepth[ObjectIdentifier(input.layer)] == nil {
      layerDepth[ObjectIdentifier(input.layer)] = 0
      layerIndex[ObjectIdentifier(input.layer)] = -1
      layerList.append(input.layer)
      nodeDepth[ObjectIdentifier(input.node)] = 0
      decreasingDepth.append(input.node)
    }
    nodes = decreasingDepth
    for node in nodes {
      nodesByDepth[nodeDepth[ObjectIdentifier(node)] ?? 0, default: []].append(node)
    }
    layers = layerList.sorted { a, b in
      let da = layerDepth[ObjectIdentifier(a)] ?? 0
      let db = layerDepth[ObjectIdentifier(b)] ?? 0
      if da != db { return da > db }
      return (layerIndex[ObjectIdentifier(a)] ?? 0) < (layerIndex[ObjectIdentifier(b)] ?? 0)
    }
    // Post-order from the outputs already runs every node after its inputs.
    executionOrder = decreasingDepth.filter { node in
      !(node.layer is InputLayer)
        && !node.outputs.contains { inputIDs.contains(ObjectIdentifier($0)) }
    }

    var names = Set<String>()
    for layer in layers where !names.insert(layer.name).inserted {
      throw SwiftKerasError(
        .invalidArgument, "all layer names must be unique; '\(layer.name)' is used more than once")
    }
  }
}
