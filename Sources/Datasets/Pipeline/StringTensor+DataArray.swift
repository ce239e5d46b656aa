import SwiftKerasCore

extension StringTensor {
  /// The strings of a dataset array (a text source's inputs), to feed `StringLookup` or
  /// `TextVectorization`.
  ///
  /// - Throws: ``SwiftKerasError`` `.invalidArgument` for an array of numbers.
  public init(_ array: DataArray) throws {
    guard let strings = array.strings else {
      throw SwiftKerasError(
        .invalidArgument,
        "StringTensor: the dataset array of shape \(array.shape) holds numbers, not strings")
    }
    try self.init(shape: array.shape, values: strings)
  }
}
