import SwiftKerasCore

/// Applies a layer to every time step of a sequence, as `keras.layers.TimeDistributed`:
/// an input `[batch, steps, ...]` becomes `[batch, steps, ...]` with the wrapped layer's
/// output for each step. The steps are folded into the batch, so the wrapped layer runs
/// once on `[batch × steps, ...]`. A weights file keeps the layer under `layer`.
///
/// ```swift
/// let perStep = TimeDistributed(Dense(10, activation: .softmax))
/// let y = try perStep(Tensor.zeros([4, 7, 32]))   // [4, 7, 10]
/// ```
public final class TimeDistributed: Layer, ConfigInitializable {
  /// The wrapped layer, serialized under Keras's `layer` key.
  @Config("layer", required: true) public var layerEntry = NestedLayer()

  /// Wraps `layer`.
  public convenience init(_ layer: Layer, inputShape: [Int?]? = nil, name: String? = nil) {
    self.init(name: name)
    layerEntry = NestedLayer(layer)
    requestedInputShape = inputShape
  }

  /// The wrapped layer.
  public var layer: Layer? { layerEntry.layer }

  public override var sublayers: [Layer] { layer.map { [$0] } ?? [] }

  public override var savedSublayers: [(path: String, layer: Layer)]? {
    layer.map { [("layer", $0)] } ?? []
  }

  private func inner() throws -> Layer {
    guard let layer else {
      throw SwiftKerasError(.invalidArgument, "layer '\(name)' (TimeDistributed) has no layer")
    }
    return layer
  }

  public override func build(inputShape: Shape) throws {
    guard inputShape.count >= 3 else {
      throw SwiftKerasError(
        .shapeMismatch,
        "layer '\(name)' (TimeDistributed) needs inputs [batch, steps, ...] of rank 3 or more, got \(formatShape(inputShape))"
      )
    }
    try inner().ensureBuilt(inputShapes: [[inputShape[0]] + inputShape.dropFirst(2)])
  }

  public override var supportsMasking: Bool { true }

  public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
    let layer = try inner()
    let (batch, steps) = (input.shape[0], input.shape[1])
    guard let folded = Tensor.checkedElementCount([batch, steps]) else {
      throw SwiftKerasError(
        .invalidArgument, "layer '\(name)' (TimeDistributed): batch × steps overflows")
    }
    let output = try layer(
      input.reshaped(to: [folded] + input.shape.dropFirst(2)), training: training)
    return output.reshaped(to: [batch, steps] + output.shape.dropFirst())
  }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    let shape = inputShapes[0]
    let inner = try inner().computeOutputShape(inputShapes: [[shape[0]] + shape.dropFirst(2)])
    return [shape[0], shape[1]] + inner.dropFirst()
  }
}
