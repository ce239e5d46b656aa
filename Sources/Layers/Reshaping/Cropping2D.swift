import SwiftKerasCore

/// Removes rows above and below and columns left and right of `[batch, height, width,
/// channels]` input, as `keras.layers.Cropping2D`.
///
/// ```swift
/// let y = try Cropping2D(2)(Tensor.zeros([2, 28, 28, 1]))   // [2, 24, 24, 1]
/// let z = try Cropping2D(top: 1, bottom: 0, left: 2, right: 1)(x)
/// ```
public final class Cropping2D: Layer {
  /// Rows removed from the top.
  public let top: Int
  /// Rows removed from the bottom.
  public let bottom: Int
  /// Columns removed on the left.
  public let left: Int
  /// Columns removed on the right.
  public let right: Int
  private var malformedArgument: [Int]? = nil

  /// Crops symmetrically: one amount for both axes, or `[rows, columns]` (each removed
  /// on both sides).
  public convenience init(_ cropping: IntOrTuple = 0, name: String? = nil) {
    let amounts =
      cropping.values.count == 2
      ? cropping.values : [cropping.values.first ?? 0, cropping.values.first ?? 0]
    self.init(top: amounts[0], bottom: amounts[0], left: amounts[1], right: amounts[1], name: name)
    if ![1, 2].contains(cropping.values.count) { malformedArgument = cropping.values }
  }

  /// Crops by explicit amounts per side.
  public init(top: Int, bottom: Int, left: Int, right: Int, name: String? = nil) {
    self.top = top
    self.bottom = bottom
    self.left = left
    self.right = right
    super.init(name: name)
  }

  public override func build(inputShape: Shape) throws {
    if let malformedArgument {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(name)' (Cropping2D): cropping must be one integer or two, got \(malformedArgument)"
      )
    }
    guard [top, bottom, left, right].allSatisfy({ $0 >= 0 }) else {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(name)' (Cropping2D): cropping must be non-negative, got ((\(top), \(bottom)), (\(left), \(right)))"
      )
    }
    guard inputShape.count == 4 else {
      throw SwiftKerasError(
        .shapeMismatch,
        "layer '\(name)' (Cropping2D) needs inputs of rank 4, got \(formatShape(inputShape))")
    }
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
    guard shapes.count == 1, shapes[0].count == 4 else {
      throw SwiftKerasError(
        .shapeMismatch, "layer '\(name)' (Cropping2D) needs one input of rank 4, got \(shapes)")
    }
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

  public override func getConfig() -> [String: ConfigValue] {
    var config = super.getConfig()
    config["cropping"] = .array([configArray([top, bottom]), configArray([left, right])])
    config["data_format"] = "channels_last"
    return config
  }
}
