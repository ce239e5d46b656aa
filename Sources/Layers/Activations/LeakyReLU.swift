import SwiftKerasCore

/// The leaky rectified linear unit `x` for `x >= 0`, `negativeSlope * x` otherwise, as
/// `keras.layers.LeakyReLU`.
///
/// ```swift
/// let layer = LeakyReLU()                    // slope 0.3, Keras 3's layer default
/// let y = try layer(Tensor([-1, 2]))         // [-0.3, 2]
/// ```
public final class LeakyReLU: Layer, ConfigInitializable {
  /// Masks pass through unchanged, as Keras's `supports_masking`.
  public override var supportsMasking: Bool { true }

  /// The slope for negative inputs.
  @Config public var negativeSlope: Float = 0.3

  /// Creates the layer (Keras 3's default slope 0.3).
  public convenience init(negativeSlope: Float = 0.3, name: String? = nil) {
    self.init(name: name)
    self.negativeSlope = negativeSlope
  }

  public override func build(inputShape: Shape) throws {
    guard negativeSlope >= 0 else {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(name)' (LeakyReLU): negativeSlope must be >= 0, got \(negativeSlope)")
    }
  }

  public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
    // TODO(lead): use Core's leakyRelu(_:negativeSlope:) once act-init lands.
    maximum(input, Float(0)) + negativeSlope * minimum(input, Float(0))
  }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    inputShapes[0]
  }
}
