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
    let output = try computeOutputShape(inputShapes: [input.shape.map { Optional($0) }])
    _ = try RuntimeOptions.checkTensorSize(
      output.map { $0 ?? 0 }, of: "layer '\(name)' (ZeroPadding2D) output")
    return input.zeroPadded2d(top: top, bottom: bottom, left: left, right: right)
  }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    let shape = inputShapes[0]
    func padded(_ extent: Int?, _ before: Int, _ after: Int) throws -> Int? {
      guard let extent else { return nil }
      guard let length = checkedAdd(extent, before).flatMap({ checkedAdd($0, after) }) else {
        throw SwiftKerasError(
          .invalidArgument,
          "layer '\(name)' (ZeroPadding2D): padding \(padding.configValue.jsonString()) overflows an extent of \(extent)"
        )
      }
      return length
    }
    return [
      shape[0], try padded(shape[1], top, bottom), try padded(shape[2], left, right), shape[3],
    ]
  }
}
