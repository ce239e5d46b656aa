import SwiftKerasCore

/// A per-axis integer argument written as Keras accepts it: one integer for every
/// spatial axis (`3`) or one per axis (`[3, 2]`). Used for kernel sizes, strides,
/// dilation rates and pool sizes.
///
/// ```swift
/// let a: IntOrTuple = 3        // [3, 3] for a 2-D layer
/// let b: IntOrTuple = [3, 2]
/// ```
public struct IntOrTuple: Equatable, Sendable, ExpressibleByIntegerLiteral,
  ExpressibleByArrayLiteral
{
  /// The integers as given (one, or one per axis).
  public let values: [Int]
  /// An argument that held no integers (e.g. `(3, "a")`), described for the error that
  /// building the layer raises.
  private(set) var unreadable: String?

  /// One integer for every axis.
  public init(_ value: Int) { values = [value] }
  /// One integer per axis.
  public init(_ values: [Int]) { self.values = values }
  /// One integer for every axis.
  public init(integerLiteral value: Int) { values = [value] }
  /// One integer per axis.
  public init(arrayLiteral elements: Int...) { values = elements }

  /// An argument as a Keras user writes it: `3`, `(3, 3)`, `[3, 3]` or an `IntOrTuple`.
  /// Anything else is kept as unreadable and reported when the layer is built.
  ///
  /// ```swift
  /// IntOrTuple(argument: (3, 2)).values   // [3, 2]
  /// ```
  public init(argument: Any) {
    switch argument {
    case let given as IntOrTuple: self = given
    case let value as Int: self.init(value)
    case let values as [Int]: self.init(values)
    default:
      let parts = Mirror(reflecting: argument).children.map(\.value)
      let integers = parts.compactMap { $0 as? Int }
      if Mirror(reflecting: argument).displayStyle == .tuple, integers.count == parts.count {
        self.init(integers)
      } else {
        self.init([])
        unreadable = "\(argument) (\(type(of: argument)))"
      }
    }
  }

  /// The values for `rank` axes, checked positive.
  ///
  /// - Throws: ``SwiftKerasError`` when the count is neither 1 nor `rank` or a value is
  ///   not positive.
  func resolved(rank: Int, argument: String, layer: String) throws -> [Int] {
    let expanded = values.count == 1 ? Array(repeating: values[0], count: rank) : values
    guard expanded.count == rank, expanded.allSatisfy({ $0 > 0 }) else {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(layer)': \(argument) must be one positive integer or \(rank) of them, got \(unreadable ?? "\(values)")"
      )
    }
    return expanded
  }

  /// One value repeated for `rank` axes, or the values as given (a wrong count is left for
  /// ``resolved(rank:argument:layer:)`` to report when the layer is built).
  func spread(rank: Int) -> [Int] {
    values.count == 1 ? Array(repeating: values[0], count: rank) : values
  }

  /// The values for `rank` axes, unchecked (a wrong count is cut or padded with 1 so
  /// shape code never reads out of range; build reports it through ``resolved``).
  func expanded(rank: Int) -> [Int] {
    if values.count == 1 { return Array(repeating: values[0], count: rank) }
    return (0..<rank).map { $0 < values.count ? values[$0] : 1 }
  }
}

/// A list of integers as a config value.
func configArray(_ values: [Int]) -> ConfigValue { .array(values.map { .int($0) }) }
