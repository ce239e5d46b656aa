import SwiftKerasCore
import SwiftKerasLayers
import SwiftKerasTraining

/// What a ``Sequential`` list may hold: layers, and an `Input(shape:)` to fix the input
/// shape up front.
public protocol SequentialElement {}
extension Layer: SequentialElement {}
extension KerasTensor: SequentialElement {}

/// A plain stack of layers, each feeding the next, as `keras.Sequential`.
///
/// ```swift
/// let model = Sequential([
///   Input(shape: [784]),
///   Dense(128, activation: .relu),
///   Dropout(0.2),
///   Dense(10, activation: .softmax),
/// ])
/// model.summary()
/// ```
///
/// Without an `Input`, the model builds on the first data it sees, as Keras does.
public final class Sequential: Model {
  private var stack: [Layer] = [] {
    didSet { plan = nil }
  }
  /// The input shape with `nil` for the batch, once known.
  public private(set) var inputShape: Shape?
  /// Each layer's output shape, once built.
  public private(set) var layerOutputShapes: [Shape] = []

  /// Creates a model from a list of layers, optionally starting with `Input(shape:)`.
  ///
  /// - Throws: when a layer does not fit the shape the previous one produces.
  public init(_ elements: [any SequentialElement] = [], name: String? = nil) throws {
    super.init(name: name ?? LayerNaming.uniqueName(for: "sequential"))
    for element in elements {
      if let tensor = element as? KerasTensor {
        try setInput(tensor.shape, source: "Input")
      } else if let layer = element as? Layer {
        try add(layer)
      }
    }
  }

  public override class var className: String { "Sequential" }

  private func setInput(_ shape: Shape, source: String) throws {
    guard stack.isEmpty, inputShape == nil else {
      throw SwiftKerasError(
        .invalidArgument,
        "Sequential '\(name)': an \(source) must come first, before any other layer")
    }
    guard shape.dropFirst().allSatisfy({ ($0 ?? 1) > 0 }) else {
      throw SwiftKerasError(
        .invalidArgument,
        "Sequential '\(name)': input shape \(formatShape(shape)) has an extent that is not positive"
      )
    }
    inputShape = shape
    layerOutputShapes = []
  }

  /// The layers in order (the input is not a layer of a Sequential model).
  public override var layers: [Layer] { stack }

  package override var architecture: ModelArchitecture {
    .stack(inputShape: inputShape, layerOutputShapes: layerOutputShapes)
  }

  /// Appends a layer, building it at once when the input shape is known.
  public func add(_ layer: Layer) throws {
    if let input = layer as? InputLayer {
      try setInput(input.batchShape, source: "InputLayer")
      return
    }
    if stack.contains(where: { $0.name == layer.name }) {
      throw SwiftKerasError(
        .invalidArgument,
        "Sequential '\(name)': all layer names must be unique; '\(layer.name)' is already used")
    }
    if stack.isEmpty, inputShape == nil, let requested = layer.requestedInputShape {
      try setInput([nil] + requested, source: "inputShape")
    }
    stack.append(layer)
    if let last = layerOutputShapes.last ?? (stack.count == 1 ? inputShape : nil) {
      do {
        try buildLayer(layer, inputShape: last)
      } catch {
        stack.removeLast()
        throw error
      }
    }
  }

  /// Appends an `Input(shape:)`; only valid on an empty model.
  public func add(_ input: KerasTensor) throws {
    try setInput(input.shape, source: "Input")
  }

  /// Removes and returns the last layer.
  @discardableResult
  public func pop() throws -> Layer {
    guard let layer = stack.popLast() else {
      throw SwiftKerasError(.invalidState, "Sequential '\(name)': there is no layer to pop")
    }
    if layerOutputShapes.count > stack.count { layerOutputShapes.removeLast() }
    return layer
  }

  private func buildLayer(_ layer: Layer, inputShape: Shape) throws {
    try layer.ensureBuilt(inputShapes: [inputShape])
    try layer.checkSymbolicInputs([inputShape])
    layerOutputShapes.append(try layer.computeOutputShape(inputShapes: [inputShape]))
    // Every layer built for a known input: the model is built, as Keras's with an Input.
    if let start = self.inputShape, layerOutputShapes.count == stack.count {
      markBuilt(inputShapes: [start])
    }
  }

  /// Builds every layer for inputs of `shape` (batch axis nil), as Keras's `build`.
  public override func build(inputShape shape: Shape) throws {
    if inputShape == nil { inputShape = shape }
    guard let start = inputShape else { return }
    var current = layerOutputShapes.last ?? start
    for layer in stack.dropFirst(layerOutputShapes.count) {
      try buildLayer(layer, inputShape: current)
      current = layerOutputShapes.last ?? current
    }
    markBuilt(inputShapes: [start])
  }

  public override var isBuiltForSummary: Bool {
    inputShape != nil && layerOutputShapes.count == stack.count
  }

  public override func callOutputs(_ inputs: [Tensor], training: Bool) throws -> [Tensor] {
    [try call(inputs, training: training)]
  }

  public override func call(_ inputs: [Tensor], training: Bool) throws -> Tensor {
    try outputsAndMasks(inputs, training: training).outputs[0]
  }

  package override func outputsAndMasks(
    _ inputs: [Tensor], masks: [Tensor?] = [], training: Bool
  ) throws -> (
    outputs: [Tensor], masks: [Tensor?]
  ) {
    guard inputs.count == 1 else {
      throw SwiftKerasError(
        .invalidArgument, "Sequential '\(name)' expects 1 input, got \(inputs.count)")
    }
    let input = inputs[0]
    if inputShape == nil || layerOutputShapes.count < stack.count {
      try build(inputShape: inputShape ?? batchShape(of: input.shape))
    }
    if let expected = inputShape, !shapeMatches(input.shape, expected) {
      throw SwiftKerasError(
        .shapeMismatch,
        "Sequential '\(name)' expects input shape \(formatShape(expected)), got \(formatShape(input.shape.map { Optional($0) }))"
      )
    }
    let plan: ExecutionPlan
    if let existing = self.plan {
      plan = existing
    } else {
      plan = ExecutionPlan(chain: stack)
      self.plan = plan
    }
    return try plan.runWithMasks([input], masks: masks, training: training)
  }

  public override func checkInputs(_ shapes: [[Int]]) throws {}

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    if inputShape == nil { try build(inputShape: inputShapes[0]) }
    return layerOutputShapes.last ?? inputShapes[0]
  }

  public override var outputShapes: [Shape] { layerOutputShapes.last.map { [$0] } ?? [] }
}
