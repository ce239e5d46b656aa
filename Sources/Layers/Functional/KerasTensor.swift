import SwiftKerasCore

/// A symbolic tensor of the Functional API: a shape and the layer call that produces it.
///
/// ```swift
/// let inputs = Input(shape: [784])
/// let hidden = try Dense(64, activation: .relu)(inputs)
/// let outputs = try Dense(10, activation: .softmax)(hidden)
/// let model = try Model(inputs: inputs, outputs: outputs)
/// ```
public final class KerasTensor {
  /// The shape with `nil` for the batch axis.
  public let shape: Shape
  /// The name of the tensor (an input's name, or the producing layer's).
  public let name: String
  /// The layer call that produced this tensor.
  public let node: Node
  /// Which output of the node this is.
  public let index: Int

  init(shape: Shape, name: String, node: Node, index: Int) {
    self.shape = shape
    self.name = name
    self.node = node
    self.index = index
  }

  /// The layer that produced this tensor.
  public var layer: Layer { node.layer }
}

extension KerasTensor: CustomStringConvertible {
  public var description: String { "<KerasTensor shape=\(formatShape(shape)), name=\(name)>" }
}

/// One call of a layer in a functional graph: the layer, its symbolic inputs and outputs.
public final class Node {
  /// The layer called.
  public let layer: Layer
  /// The symbolic inputs of the call (empty for an input layer).
  public let inputs: [KerasTensor]
  /// The shapes of the call's outputs.
  public let outputShapes: [Shape]
  /// The call's keyword arguments (options and which inputs were given by keyword).
  public let arguments: CallArguments
  /// The position of this node among its layer's calls.
  public private(set) var indexInLayer = 0
  /// The outputs, held weakly: a tensor holds its node, so the node must not hold it.
  private var outputReferences: [WeakTensor]

  /// The symbolic outputs of the call: the same objects as long as anything holds them
  /// (a later call, a model, the caller), else new ones of the same shapes.
  public var outputs: [KerasTensor] {
    outputShapes.indices.map { index in
      if let alive = outputReferences[index].tensor { return alive }
      let tensor = KerasTensor(
        shape: outputShapes[index], name: layer.name, node: self, index: index)
      outputReferences[index].tensor = tensor
      return tensor
    }
  }

  package init(
    layer: Layer, inputs: [KerasTensor], outputShapes: [Shape],
    arguments: CallArguments = .none
  ) {
    self.layer = layer
    self.inputs = inputs
    self.arguments = arguments
    self.outputShapes = outputShapes
    outputReferences = outputShapes.map { _ in WeakTensor() }
    indexInLayer = layer.recordInboundNode(self)
  }
}

/// An output tensor a node does not keep alive.
private struct WeakTensor {
  weak var tensor: KerasTensor?
}

/// The layer behind a functional model's input: it passes its input through unchanged.
public final class InputLayer: Layer {
  /// The shape of one sample with `nil` for the batch (e.g. `[nil, 784]`).
  public let batchShape: Shape

  /// Creates an input layer for samples of `shape` (without the batch axis).
  public init(shape: [Int?], name: String? = nil) {
    batchShape = [nil] + shape
    super.init(name: name ?? LayerNaming.uniqueName(for: "input_layer"))
    markBuilt(inputShapes: [batchShape])
  }

  public override class var className: String { "InputLayer" }

  public override func call(_ input: Tensor, training: Bool) throws -> Tensor { input }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape { batchShape }

  public override func getConfig() -> [String: ConfigValue] {
    [
      "batch_shape": .array(batchShape.map { $0.map { .int($0) } ?? .null }),
      "dtype": "float32", "sparse": false, "name": .string(name),
    ]
  }
}

/// A symbolic input of `shape` (one sample, without the batch axis), as `keras.Input`.
///
/// In a ``Sequential`` list it fixes the model's input shape; in the Functional API it
/// starts a graph.
public func Input(shape: [Int?], name: String? = nil) -> KerasTensor {
  let layer = InputLayer(shape: shape, name: name)
  return Node(layer: layer, inputs: [], outputShapes: [layer.batchShape]).outputs[0]
}

extension Layer {
  /// Calls the layer on a symbolic tensor: builds the layer for its shape, infers the
  /// output shape and records the call in the graph.
  public func callAsFunction(_ input: KerasTensor) throws -> KerasTensor {
    try callAsFunction([input])
  }

  /// Calls the layer on several symbolic tensors (merging layers).
  public func callAsFunction(_ inputs: [KerasTensor]) throws -> KerasTensor {
    let shapes = inputs.map { $0.shape }
    try ensureBuilt(inputShapes: shapes)
    try checkSymbolicInputs(shapes)
    let outputShape = try computeOutputShape(inputShapes: shapes)
    return Node(layer: self, inputs: inputs, outputShapes: [outputShape]).outputs[0]
  }

  /// Calls the layer on symbolic tensors and returns every output (a multi-output model
  /// has several).
  public func callOutputs(_ inputs: [KerasTensor]) throws -> [KerasTensor] {
    try callOutputs(inputs, arguments: .none)
  }

  /// Calls the layer on symbolic tensors with keyword `arguments` (Keras's call
  /// `kwargs`, such as `use_causal_mask`) and returns every output; the node keeps the
  /// arguments for running and saving.
  public func callOutputs(_ inputs: [KerasTensor], arguments: CallArguments) throws
    -> [KerasTensor]
  {
    let shapes = inputs.map { $0.shape }
    let built = try buildShapes(for: shapes, arguments: arguments)
    try ensureBuilt(inputShapes: built)
    try checkSymbolicInputs(built)
    let outputShapes =
      arguments.isEmpty
      ? try symbolicOutputShapes(inputShapes: shapes)
      : try symbolicOutputShapes(inputShapes: shapes, arguments: arguments)
    return Node(layer: self, inputs: inputs, outputShapes: outputShapes, arguments: arguments)
      .outputs
  }

  /// Throws when symbolic shapes do not fit the shapes the layer was built for.
  package func checkSymbolicInputs(_ shapes: [Shape]) throws {
    guard builtInputShapes.count == shapes.count else {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(name)' (\(className)) expects \(builtInputShapes.count) input(s), got \(shapes.count)"
      )
    }
    for (shape, expected) in zip(shapes, builtInputShapes) {
      let fits =
        shape.count == expected.count
        && zip(shape, expected).allSatisfy { a, b in a == nil || b == nil || a == b }
      if !fits {
        throw SwiftKerasError(
          .shapeMismatch,
          "layer '\(name)' (\(className)) expects input shape \(formatShape(expected)), got \(formatShape(shape))"
        )
      }
    }
  }
}
