import SwiftKerasCore

/// Adds rows of zeros above and below and columns of zeros left and right of
/// `[batch, height, width, channels]` input, as `keras.layers.ZeroPadding2D`.
///
/// ```swift
/// let y = try ZeroPadding2D(1)(Tensor.zeros([2, 28, 28, 1]))   // [2, 30, 30, 1]
/// let z = try ZeroPadding2D(top: 1, bottom: 2, left: 0, right: 3)(x)
/// ```
public final class ZeroPadding2D: Layer {
  /// Rows added above.
  public let top: Int
  /// Rows added below.
  public let bottom: Int
  /// Columns added on the left.
  public let left: Int
  /// Columns added on the right.
  public let right: Int
  private var malformedArgument: [Int]? = nil

  /// Pads symmetrically: one amount for both axes, or `[rows, columns]` (each added on
  /// both sides).
  public convenience init(_ padding: IntOrTuple = 1, name: String? = nil) {
    let amounts =
      padding.values.count == 2
      ? padding.values : [padding.values.first ?? 0, padding.values.first ?? 0]
    self.init(top: amounts[0], bottom: amounts[0], left: amounts[1], right: amounts[1], name: name)
    if ![1, 2].contains(padding.values.count) { malformedArgument = padding.values }
  }

  /// Pads by explicit amounts per side.
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
        "layer '\(name)' (ZeroPadding2D): padding must be one integer or two, got \(malformedArgument)"
      )
    }
    guard [top, bottom, left, right].allSatisfy({ $0 >= 0 }) else {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(name)' (ZeroPadding2D): padding must be non-negative, got ((\(top), \(bottom)), (\(left), \(right)))"
      )
    }
    guard inputShape.count == 4 else {
      throw SwiftKerasError(
        .shapeMismatch,
        "layer '\(name)' (ZeroPadding2D) needs inputs of rank 4, got \(formatShape(inputShape))")
    }
  }

  public override func checkInputs(_ shapes: [[Int]]) throws {
    guard shapes.count == 1, shapes[0].count == 4 else {
      throw SwiftKerasError(
        .shapeMismatch, "layer '\(name)' (ZeroPadding2D) needs one input of rank 4, got \(shapes)")
    }
  }

  public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
    input.zeroPadded2d(top: top, bottom: bottom, left: left, right: right)
  }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    let shape = inputShapes[0]
    return [
      shape[0], shape[1].map { $0 + top + bottom }, shape[2].map { $0 + left + right }, shape[3],
    ]
  }

  public override func getConfig() -> [String: ConfigValue] {
    var config = super.getConfig()
    config["padding"] = .array([configArray([top, bottom]), configArray([left, right])])
    config["data_format"] = "channels_last"
    return config
  }
}
