import SwiftKerasCore

/// Adds rows of zeros above and below and columns of zeros left and right of
/// `[batch, height, width, channels]` input, as `keras.layers.ZeroPadding2D`.
///
/// ```swift
/// let y = try ZeroPadding2D(1)(Tensor.zeros([2, 28, 28, 1]))   // [2, 30, 30, 1]
/// let z = try ZeroPadding2D(top: 1, bottom: 2, left: 0, right: 3)(x)
/// ```
public final class ZeroPadding2D: SideAmounts2DLayer, ConfigInitializable {
  /// The amounts per side.
  @Config public var padding = SideAmounts(symmetric: 1)

  override var sides: SideAmounts {
    get { padding }
    set { padding = newValue }
  }
  override var argumentName: String { "padding" }

  public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
    input.zeroPadded2d(top: top, bottom: bottom, left: left, right: right)
  }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    let shape = inputShapes[0]
    return [
      shape[0], shape[1].map { $0 + top + bottom }, shape[2].map { $0 + left + right }, shape[3],
    ]
  }
}
