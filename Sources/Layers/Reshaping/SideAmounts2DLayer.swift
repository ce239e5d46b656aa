import SwiftKerasCore

/// What ``ZeroPadding2D`` and ``Cropping2D`` share: an amount of rows or columns per side of
/// `[batch, height, width, channels]` input, given as one integer, `[rows, columns]` or
/// explicitly per side, checked when the layer is built.
public class SideAmounts2DLayer: Layer {
  /// Keras's `data_format`; only channels-last inputs are supported.
  @Config public var dataFormat = "channels_last"

  /// The amounts, stored by each subclass under its own Keras key (``ZeroPadding2D/padding``
  /// or ``Cropping2D/cropping``).
  var sides: SideAmounts {
    get { SideAmounts(top: 0, bottom: 0, left: 0, right: 0) }
    set {}
  }
  /// The argument's name in error messages.
  var argumentName: String { "amounts" }

  /// Rows at the top.
  public var top: Int { sides.top }
  /// Rows at the bottom.
  public var bottom: Int { sides.bottom }
  /// Columns on the left.
  public var left: Int { sides.left }
  /// Columns on the right.
  public var right: Int { sides.right }

  /// Pads or crops symmetrically: one amount for both axes, or `[rows, columns]` (each on
  /// both sides); nil keeps the layer's default (one row and column of padding, no
  /// cropping).
  public convenience init(_ amounts: IntOrTuple? = nil, name: String? = nil) {
    self.init(name: name)
    if let amounts { sides = SideAmounts(symmetric: amounts) }
  }

  /// Pads or crops by explicit amounts per side.
  public convenience init(top: Int, bottom: Int, left: Int, right: Int, name: String? = nil) {
    self.init(name: name)
    sides = SideAmounts(top: top, bottom: bottom, left: left, right: right)
  }

  public override func build(inputShape: Shape) throws {
    if let malformedArgument = sides.malformed {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(name)' (\(className)): \(argumentName) must be one integer or two, got \(malformedArgument)"
      )
    }
    guard [top, bottom, left, right].allSatisfy({ $0 >= 0 }) else {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(name)' (\(className)): \(argumentName) must be non-negative, got ((\(top), \(bottom)), (\(left), \(right)))"
      )
    }
    guard inputShape.count == 4 else {
      throw SwiftKerasError(
        .shapeMismatch,
        "layer '\(name)' (\(className)) needs inputs of rank 4, got \(formatShape(inputShape))")
    }
  }

  public override func checkInputs(_ shapes: [[Int]]) throws {
    guard shapes.count == 1, shapes[0].count == 4 else {
      throw SwiftKerasError(
        .shapeMismatch, "layer '\(name)' (\(className)) needs one input of rank 4, got \(shapes)")
    }
  }
}

/// Rows or columns per side of an image, `((top, bottom), (left, right))` as Keras writes
/// them; one integer or `[rows, columns]` pads or crops both sides alike.
public struct SideAmounts: ConfigValueConvertible, Equatable, Sendable {
  /// Rows at the top.
  public var top: Int
  /// Rows at the bottom.
  public var bottom: Int
  /// Columns on the left.
  public var left: Int
  /// Columns on the right.
  public var right: Int
  /// A symmetric argument that was neither one integer nor two, reported at build.
  var malformed: [Int]?

  /// Explicit amounts per side.
  public init(top: Int, bottom: Int, left: Int, right: Int) {
    (self.top, self.bottom, self.left, self.right) = (top, bottom, left, right)
  }

  /// The same amount on both sides of each axis: one integer for both axes, or
  /// `[rows, columns]`.
  public init(symmetric amounts: IntOrTuple) {
    let values = amounts.values
    let pair = values.count == 2 ? values : [values.first ?? 0, values.first ?? 0]
    self.init(top: pair[0], bottom: pair[0], left: pair[1], right: pair[1])
    if ![1, 2].contains(values.count) { malformed = values }
  }

  public init(configValue: ConfigValue) throws {
    if let pairs = configValue.arrayValue, pairs.allSatisfy({ $0.arrayValue != nil }) {
      let sides = pairs.map { ($0.arrayValue ?? []).compactMap { $0.intValue } }
      guard sides.count == 2, sides.allSatisfy({ $0.count == 2 }) else {
        throw ConfigValueMismatch(expected: "[[top, bottom], [left, right]]")
      }
      self.init(top: sides[0][0], bottom: sides[0][1], left: sides[1][0], right: sides[1][1])
    } else {
      self.init(symmetric: try IntOrTuple(configValue: configValue))
    }
  }

  public var configValue: ConfigValue {
    .array([[top, bottom].configValue, [left, right].configValue])
  }
}
