import Foundation
import SwiftKerasCore
import SwiftKerasLayers
import SwiftKerasTraining

extension Model {
  /// Prints the model's layers, output shapes and parameter counts as Keras 3's
  /// `model.summary()` does, table and footer alike.
  ///
  /// - Parameters:
  ///   - lineLength: the table's width; Keras's default is 88 for three columns and 108
  ///     when the "Connected to" column appears.
  ///   - positions: the columns' right edges as fractions of the width.
  ///   - expandNested: also list the layers of nested models, indented.
  ///   - showTrainable: add a "Trainable" column.
  ///   - printFunction: receives the text; prints to standard output by default.
  public func summary(
    lineLength: Int? = nil, positions: [Double]? = nil, expandNested: Bool = false,
    showTrainable: Bool = false, printFunction: ((String) -> Void)? = nil
  ) {
    let text = summaryText(
      lineLength: lineLength, positions: positions, expandNested: expandNested,
      showTrainable: showTrainable)
    if let printFunction { printFunction(text) } else { print(text, terminator: "") }
  }

  /// The text ``summary(lineLength:positions:expandNested:showTrainable:printFunction:)`` prints.
  public func summaryText(
    lineLength: Int? = nil, positions: [Double]? = nil, expandNested: Bool = false,
    showTrainable: Bool = false
  ) -> String {
    let sequentialLike = isSequentialLike
    var length: Int
    var columns: [Double]
    var header: [String]
    var alignment: [TextTable.Alignment]
    if sequentialLike {
      length = 88
      columns = positions ?? [0.45, 0.80, 1.0]
      header = ["Layer (type)", "Output Shape", "Param #"]
      alignment = [.left, .left, .right]
    } else {
      length = 108
      columns = positions ?? [0.3, 0.56, 0.74, 1.0]
      header = ["Layer (type)", "Output Shape", "Param #", "Connected to"]
      alignment = [.left, .left, .right, .left]
    }
    if showTrainable {
      length += 12
      columns = columns.map { $0 * 0.90 } + [1.0]
      header.append("Trainable")
      alignment.append(.center)
    }
    length = lineLength ?? length

    let relevantNodes = Set((graph?.nodes ?? []).map { ObjectIdentifier($0) })
    var table = TextTable(header: header, alignment: alignment)
    func addRows(_ layer: Layer, level: Int) {
      let prefix = level > 0 ? String(repeating: "   ", count: level) + "└ " : ""
      var row = [
        "\(prefix)\(layer.name) (\(layer.className))", outputShapeText(of: layer),
        layer.built ? grouped(layer.countParams()) : "0 (unbuilt)",
      ]
      if !sequentialLike { row.append(connections(of: layer, relevant: relevantNodes)) }
      if showTrainable { row.append(layer.weights.isEmpty ? "-" : (layer.trainable ? "Y" : "N")) }
      table.rows.append(row)
      if expandNested, let nested = layer as? Model {
        for sublayer in nested.summaryLayers { addRows(sublayer, level: level + 1) }
      }
    }
    for layer in summaryLayers { addRows(layer, level: 0) }

    let trainable = trainableWeights.reduce(0) { $0 + Tensor.elementCount($1.shape) }
    let nonTrainable = nonTrainableWeights.reduce(0) { $0 + Tensor.elementCount($1.shape) }
    // As Keras: a built optimizer's variables (the int64 iteration counter, the learning
    // rate unless scheduled, and the slots) count in the total and get their own line.
    var optimizerCount = 0
    var optimizerBytes = 0
    if let optimizer = optimizer as? BaseOptimizer, optimizer.isBuilt {
      let slots = optimizer.stateVariables().reduce(0) { $0 + Tensor.elementCount($1.shape) }
      let scheduled = optimizer.learningRateSchedule != nil
      optimizerCount = slots + 1 + (scheduled ? 0 : 1)
      optimizerBytes = slots * 4 + 8 + (scheduled ? 0 : 4)
    }
    let totalBytes = (trainable + nonTrainable) * 4 + optimizerBytes
    var lines = ["Model: \"\(name)\""]
    lines += table.render(lineLength: length, positions: columns)
    lines.append(
      " Total params: \(grouped(trainable + nonTrainable + optimizerCount)) (\(memorySize(bytes: totalBytes)))"
    )
    lines.append(" Trainable params: \(grouped(trainable)) (\(memorySize(trainable)))")
    lines.append(" Non-trainable params: \(grouped(nonTrainable)) (\(memorySize(nonTrainable)))")
    if optimizerCount > 0 {
      lines.append(
        " Optimizer params: \(grouped(optimizerCount)) (\(memorySize(bytes: optimizerBytes)))")
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// The layers summary() lists: a Sequential's stack, a functional graph's layers with
  /// its input layers.
  var summaryLayers: [Layer] { layers }

  /// Keras's test for drawing three columns: one chain of single-input calls, no sharing.
  var isSequentialLike: Bool {
    guard let graph else { return true }
    var nodes = Set<ObjectIdentifier>()
    for depth in graph.nodesByDepth.keys.sorted() {
      let atDepth = graph.nodesByDepth[depth] ?? []
      if atDepth.count > 1 || (atDepth.count == 1 && atDepth[0].inputs.count > 1) { return false }
      atDepth.forEach { nodes.insert(ObjectIdentifier($0)) }
    }
    for layer in layers
    where layer.inboundNodes.filter({ nodes.contains(ObjectIdentifier($0)) }).count > 1 {
      return false
    }
    return true
  }

  func outputShapeText(of layer: Layer) -> String {
    var shapes: [Shape]?
    if let node = layer.inboundNodes.last {
      shapes = node.outputs.map { $0.shape }
    } else if case .stack(_, let layerOutputShapes) = architecture,
      let index = layers.firstIndex(where: { $0 === layer }), index < layerOutputShapes.count
    {
      shapes = [layerOutputShapes[index]]
    } else if let nested = layer as? Model, !nested.outputShapes.isEmpty {
      shapes = nested.outputShapes
    } else if layer.built,
      let shape = try? layer.computeOutputShape(inputShapes: layer.builtInputShapes)
    {
      shapes = [shape]
    }
    guard let shapes else { return "?" }
    if shapes.count == 1 { return formatShape(shapes[0]) }
    return "[" + shapes.map(formatShape).joined(separator: ", ") + "]"
  }

  func connections(of layer: Layer, relevant: Set<ObjectIdentifier>) -> String {
    var parts: [String] = []
    for node in layer.inboundNodes
    where relevant.isEmpty || relevant.contains(ObjectIdentifier(node)) {
      for tensor in node.inputs {
        parts.append("\(tensor.node.layer.name)[\(tensor.node.indexInLayer)][\(tensor.index)]")
      }
    }
    return parts.isEmpty ? "-" : parts.joined(separator: ", ")
  }

  /// The parameter counts as numbers: total, trainable and non-trainable.
  public var parameterCounts: (total: Int, trainable: Int, nonTrainable: Int) {
    let trainable = trainableWeights.reduce(0) { $0 + Tensor.elementCount($1.shape) }
    let nonTrainable = nonTrainableWeights.reduce(0) { $0 + Tensor.elementCount($1.shape) }
    return (trainable + nonTrainable, trainable, nonTrainable)
  }
}

/// `101770` → `101,770`.
func grouped(_ value: Int) -> String {
  let digits = String(value.magnitude)
  var result = ""
  for (i, digit) in digits.enumerated() {
    if i > 0 && (digits.count - i) % 3 == 0 { result += "," }
    result.append(digit)
  }
  return (value < 0 ? "-" : "") + result
}

/// Keras's readable size of `count` float32 parameters: `397.54 KB`, `0.00 B`.
func memorySize(_ count: Int) -> String { memorySize(bytes: count * 4) }

/// Keras's readable size of a number of bytes, in B, KB, MB, … at 1024.
func memorySize(bytes: Int) -> String {
  var size = Double(bytes)
  for unit in ["B", "KB", "MB", "GB", "TB"] {
    if size / 1024 < 1 { return String(format: "%.2f %@", size, unit) }
    size /= 1024
  }
  return String(format: "%.2f PB", size)
}
