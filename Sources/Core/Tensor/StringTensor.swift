/// A shaped array of strings: the input of the string preprocessing layers
/// (`StringLookup`, `TextVectorization`), which run before the model because ``Tensor``
/// holds only floats. A lookup turns a `StringTensor` into a `Tensor` of indices the
/// model takes; `textDatasetFromDirectory` yields string arrays that convert with
/// `StringTensor(dataArray)`.
///
/// ```swift
/// let words: StringTensor = ["cat", "dog", "cat"]                  // shape [3]
/// let batch = try StringTensor(shape: [2, 2], values: ["a", "b", "c", "d"])
/// ```
public struct StringTensor: Equatable, Sendable, ExpressibleByArrayLiteral {
  /// The extents, as a ``Tensor``'s.
  public let shape: [Int]
  /// The strings in row-major order.
  public let values: [String]

  /// A tensor of `shape` holding `values` in row-major order.
  ///
  /// - Throws: ``SwiftKerasError`` `.shapeMismatch` when the count of `values` is not the
  ///   product of `shape`.
  public init(shape: [Int], values: [String]) throws {
    guard shape.allSatisfy({ $0 >= 0 }), shape.reduce(1, *) == values.count else {
      throw SwiftKerasError(
        .shapeMismatch,
        "StringTensor: \(values.count) strings do not fill shape \(shape)")
    }
    self.shape = shape
    self.values = values
  }

  /// A rank-1 tensor of `values`.
  public init(_ values: [String]) {
    shape = [values.count]
    self.values = values
  }

  /// A rank-1 tensor of the literal's strings.
  public init(arrayLiteral elements: String...) { self.init(elements) }

  /// The rank.
  public var rank: Int { shape.count }
}
