import SwiftKerasCore

/// Wraps a Swift closure of tensors as a layer, as `keras.layers.Lambda`.
///
/// The closure must use differentiable tensor operations (everything in `SwiftKerasCore`
/// is) so gradients flow through it. The output shape is found by running the closure
/// once on zeros unless you give it.
///
/// A closure cannot be written to a config, so ``getConfig()`` holds only the output
/// shape; a model with a `Lambda` cannot be rebuilt from its config alone.
///
/// ```swift
/// let double = Lambda { $0 * 2 }
/// let halve = Lambda({ $0 / 2 }, outputShape: [8])
/// ```
public final class Lambda: Layer {
  /// The function of the input.
  public let function: (Tensor) throws -> Tensor
  /// The output shape of one sample (without the batch axis), when given.
  public let outputShape: Shape?
  private let outputShapeFunction: ((Shape) throws -> Shape)?

  /// Wraps `function`; `outputShape` is the shape of one output sample (without the
  /// batch axis), inferred by a trial run when nil.
  public init(
    _ function: @escaping (Tensor) throws -> Tensor, outputShape: Shape? = nil,
    name: String? = nil
  ) {
    self.function = function
    self.outputShape = outputShape
    self.outputShapeFunction = nil
    super.init(name: name)
  }

  /// Wraps `function` with a function from the input shape (batch axis included) to the
  /// output shape (batch axis included).
  public init(
    _ function: @escaping (Tensor) throws -> Tensor,
    outputShapeFunction: @escaping (Shape) throws -> Shape, name: String? = nil
  ) {
    self.function = function
    self.outputShape = nil
    self.outputShapeFunction = outputShapeFunction
    super.init(name: name)
  }

  public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
    try function(input)
  }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    if let outputShapeFunction { return try outputShapeFunction(inputShapes[0]) }
    if let outputShape { return [inputShapes[0].first ?? nil] + outputShape }
    return try super.computeOutputShape(inputShapes: inputShapes)
  }

  public override func getConfig() -> [String: ConfigValue] {
    var config = super.getConfig()
    config["output_shape"] =
      outputShape.map { .array($0.map { $0.map { .int($0) } ?? .null }) } ?? .null
    config["arguments"] = .object([:])
    return config
  }
}
