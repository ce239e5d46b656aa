import SwiftKerasCore

/// Returns its input unchanged, as `keras.layers.Identity` (a placeholder in a graph).
///
/// ```swift
/// let y = try Identity()(Tensor([1, 2, 3]))   // [1, 2, 3]
/// ```
public final class Identity: Layer {
  /// Creates the layer.
  public override init(name: String? = nil) {
    super.init(name: name)
  }

  public override func call(_ input: Tensor, training: Bool) throws -> Tensor { input }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    inputShapes[0]
  }
}
