import SwiftKerasCore

/// What ``ZeroPadding2D`` and ``Cropping2D`` share: an amount of rows or columns per side of
/// `[batch, height, width, channels]` input, given as one integer, `[rows, columns]` or
/// explicitly per side, checked when the layer is built.
public class SideAmounts2DLayer: Layer {
  /// Rows at the top.
  public let top: Int
  /// Rows at the bottom.
  public let bottom: Int
  /// Columns on the left.
  public let left: Int
  /// Columns on the right.
  public let right: Int
  /// Keras's name of the argument (`padding`, `cropping`), for messages and configs.
  let argumentName: String
  private var malformedArgument: [Int]? = nil

  init(top: Int, bottom: Int, left: Int, right: Int, argumentName: String, name: String?) {
    self.top = top
    self.bottom = bottom
    self.left = left
    self.right = right
    self.argumentName = argumentName
    super.init(name: name)
  }

  /// One amount for both axes or `[rows, columns]`, each applied on both sides.
  init(symmetric amounts: IntOrTuple, argumentName: String, name: String?) {
    let pair =
      amounts.values.count == 2
      ? amounts.values : [amounts.values.first ?? 0, amounts.values.first ?? 0]
    top = pair[0]
    bottom = pair[0]
    left = pair[1]
    right = pair[1]
    self.argumentName = argumentName
    if ![1, 2].contains(amounts.values.count) { malformedArgument = amounts.values }
    super.init(name: name)
  }

  public override func build(inputShape: Shape) throws {
    if let malformedArgument {
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

  public override func getConfig() -> [String: ConfigValue] {
    var config = super.getConfig()
    config[argumentName] = .array([configArray([top, bottom]), configArray([left, right])])
    config["data_format"] = "channels_last"
    return config
  }
}
