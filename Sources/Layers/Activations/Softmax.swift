import SwiftKerasCore

/// The softmax along one axis, as `keras.layers.Softmax`.
///
/// ```swift
/// let probabilities = try Softmax()(Tensor([[1, 2, 3]]))
/// ```
public final class Softmax: Layer {
  /// The axis normalised to sum to one (negative counts from the end).
  public let axis: Int

  /// Creates the layer (Keras's default axis -1).
  public init(axis: Int = -1, name: String? = nil) {
    self.axis = axis
    super.init(name: name)
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

  public override func getConfig() -> [String: ConfigValue] {
    var config = super.getConfig()
    config["axis"] = .int(axis)
    return config
  }
}
