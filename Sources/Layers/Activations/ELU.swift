import SwiftKerasCore

/// The exponential linear unit `x` for `x > 0`, `alpha * (exp(x) - 1)` otherwise, as
/// `keras.layers.ELU`.
///
/// ```swift
/// let y = try ELU(alpha: 0.5)(Tensor([-1, 2]))
/// ```
public final class ELU: Layer, ConfigInitializable {
  /// Masks pass through unchanged, as Keras's `supports_masking`.
  public override var supportsMasking: Bool { true }

  /// The scale of the negative part.
  @Config public var alpha: Float = 1

  /// Creates the layer (Keras's default alpha 1).
  public convenience init(alpha: Float = 1, name: String? = nil) {
    self.init(name: name)
    self.alpha = alpha
  }

  public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
    // TODO(lead): use Core's elu(_:alpha:) once act-init lands.
    // exp of min(x, 0) keeps large positive inputs from overflowing (and their
    // gradient from becoming NaN).
    let negative = alpha * (exp(minimum(input, Float(0))) - 1)
    return `where`(input .> Float(0), input, negative)
  }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    inputShapes[0]
  }
}
