import SwiftKerasCore

/// The softmax along one axis, as `keras.layers.Softmax`.
///
/// ```swift
/// let probabilities = try Softmax()(Tensor([[1, 2, 3]]))
/// ```
public final class Softmax: Layer, ConfigInitializable {
  /// The axis normalised to sum to one (negative counts from the end).
  @Config public var axis: Int = -1

  /// Creates the layer (Keras's default axis -1).
  public convenience init(axis: Int = -1, name: String? = nil) {
    self.init(name: name)
    self.axis = axis
  }

  public override func build(inputShape: Shape) throws {
    guard axis >= -inputShape.count, axis < inputShape.count else {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(name)' (Softmax): axis \(axis) is out of range for input shape \(formatShape(inputShape))"
      )
    }
  }

  public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
    input.softmax(alongAxis: axis)
  }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    inputShapes[0]
  }
}
