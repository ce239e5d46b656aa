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

  /// One integer for every axis.
  public init(_ value: Int) { values = [value] }
  /// One integer per axis.
  public init(_ values: [Int]) { self.values = values }
  /// One integer for every axis.
  public init(integerLiteral value: Int) { values = [value] }
  /// One integer per axis.
  public init(arrayLiteral elements: Int...) { values = elements }

  /// The values for `rank` axes, checked positive.
  ///
  /// - Throws: ``SwiftKerasError`` when the count is neither 1 nor `rank` or a value is
  ///   not positive.
  func resolved(rank: Int, argument: String, layer: String) throws -> [Int] {
    let expanded = values.count == 1 ? Array(repeating: values[0], count: rank) : values
    guard expanded.count == rank, expanded.allSatisfy({ $0 > 0 }) else {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(layer)': \(argument) must be one positive integer or \(rank) of them, got \(values)"
      )
    }
    return expanded
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
