import SwiftKerasCore

/// Removes rows above and below and columns left and right of
/// `[batch, height, width, channels]` input, as `keras.layers.Cropping2D`.
///
/// ```swift
/// let y = try Cropping2D(2)(Tensor.zeros([2, 28, 28, 1]))   // [2, 24, 24, 1]
/// let z = try Cropping2D(top: 1, bottom: 0, left: 2, right: 2)(x)
/// ```
public final class Cropping2D: SideAmounts2DLayer, ConfigInitializable {
  /// The amounts per side.
  @Config public var cropping = SideAmounts(symmetric: 0)

  override var sides: SideAmounts {
    get { cropping }
    set { cropping = newValue }
  }
  override var argumentName: String { "cropping" }

  public override func build(inputShape: Shape) throws {
    try super.build(inputShape: inputShape)
    try checkExtents(inputShape[1], inputShape[2])
  }

  private func checkExtents(_ height: Int?, _ width: Int?) throws {
    if let height, top + bottom >= height {
      throw SwiftKerasError(
        .shapeMismatch,
        "layer '\(name)' (Cropping2D): cropping \(top) + \(bottom) rows leaves nothing of height \(height)"
      )
    }
    if let width, left + right >= width {
      throw SwiftKerasError(
        .shapeMismatch,
        "layer '\(name)' (Cropping2D): cropping \(left) + \(right) columns leaves nothing of width \(width)"
      )
    }
  }

  public override func checkInputs(_ shapes: [[Int]]) throws {
    try super.checkInputs(shapes)
    try checkExtents(shapes[0][1], shapes[0][2])
  }

  public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
    input.cropped2d(top: top, bottom: bottom, left: left, right: right)
  }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    let shape = inputShapes[0]
    return [
      shape[0], shape[1].map { $0 - top - bottom }, shape[2].map { $0 - left - right }, shape[3],
    ]
  }
}
