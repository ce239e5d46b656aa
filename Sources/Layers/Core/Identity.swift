import SwiftKerasCore

/// Returns its input unchanged, as `keras.layers.Identity` (a placeholder in a graph).
///
/// The Swift type is called `IdentityLayer` because `Identity` is also Keras's identity
/// matrix initializer (`keras.initializers.Identity`); its Keras class name (in summaries
/// and configs) is `Identity` and its automatic names are `identity`, `identity_1`, ….
///
/// ```swift
/// let y = try IdentityLayer()(Tensor([1, 2, 3]))   // [1, 2, 3]
/// ```
public final class IdentityLayer: Layer, ConfigInitializable {
  /// Masks pass through unchanged, as Keras's `supports_masking`.
  public override var supportsMasking: Bool { true }

  public override class var className: String { "Identity" }

  public override func call(_ input: Tensor, training: Bool) throws -> Tensor { input }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    inputShapes[0]
  }
}
