import SwiftKerasCore

/// Applies an activation function to its input, as `keras.layers.Activation`.
///
/// The functions themselves are ``ActivationFunction`` values (`.relu`, `.softmax`, …);
/// the layer's automatic names are `activation`, `activation_1`, ….
///
/// ```swift
/// let layer = Activation(.relu)
/// let y = try layer(Tensor([[-1, 2]]))   // [[0, 2]]
/// ```
public final class Activation: Layer, ConfigInitializable {
  /// Masks pass through unchanged, as Keras's `supports_masking`.
  public override var supportsMasking: Bool { true }

  /// The function applied element-wise (or along the last axis, for softmax).
  @Config(required: true) public var activation = ActivationFunction.linear

  /// Creates the layer for a typed activation.
  public convenience init(_ activation: ActivationFunction, name: String? = nil) {
    self.init(name: name)
    self.activation = activation
  }

  /// Creates the layer for a Keras identifier such as `"relu"`; throws for an unknown one.
  public convenience init(_ identifier: String, name: String? = nil) throws {
    self.init(try ActivationFunction(identifier), name: name)
  }

  public override class var className: String { "Activation" }

  public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
    activation(input)
  }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    inputShapes[0]
  }
}
