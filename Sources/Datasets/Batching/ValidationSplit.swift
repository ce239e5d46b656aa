import Foundation
import SwiftKerasCore

/// Splits arrays into training and validation parts as Keras's `fit(validation_split:)`:
/// the validation part is the LAST `validationSplit` fraction of the samples, taken before
/// any shuffling.
///
/// With `n` samples the training part is the first `floor(n * (1 - validationSplit))`.
///
/// ```swift
/// let x = Tensor.range(10).reshaped(to: [10, 1])
/// let y = Tensor.range(10)
/// let (train, validation) = try trainValidationSplit([x, y], validationSplit: 0.2)
/// print(train[0].shape, validation[1].scalars)   // [8, 1] [8.0, 9.0]
/// ```
///
/// - Throws: ``SwiftKerasError`` `.invalidArgument` if `validationSplit` is not strictly
///   between 0 and 1 or leaves either part empty, or `arrays` is empty; `.shapeMismatch`
///   if the arrays' first axes differ or one is a scalar.
public func trainValidationSplit(_ arrays: [Tensor], validationSplit: Double) throws -> (
  train: [Tensor], validation: [Tensor]
) {
  guard validationSplit > 0 && validationSplit < 1 else {
    throw SwiftKerasError(
      .invalidArgument, "validationSplit must be strictly between 0 and 1, got \(validationSplit)")
  }
  guard let first = arrays.first else {
    throw SwiftKerasError(.invalidArgument, "trainValidationSplit: needs at least one array")
  }
  for (i, array) in arrays.enumerated() where array.rank == 0 || array.shape[0] != first.shape.first
  {
    throw SwiftKerasError(
      .shapeMismatch,
      "trainValidationSplit: array \(i) has shape \(array.shape); every array needs the same "
        + "number of samples along axis 0 as array 0 (shape \(first.shape))")
  }
  let count = first.shape[0]
  let splitAt = Int((Double(count) * (1 - validationSplit)).rounded(.down))
  guard splitAt > 0 && splitAt < count else {
    throw SwiftKerasError(
      .invalidArgument,
      "trainValidationSplit: \(count) samples are not enough to split with validationSplit="
        + "\(validationSplit) (the training part would have \(splitAt))")
  }
  return (
    arrays.map { $0.slice(0..<splitAt) },
    arrays.map { $0.slice(splitAt..<count) }
  )
}

/// Splits `x` and `y` into training and validation parts as Keras's
/// `fit(validation_split:)`: the validation part is the last `validationSplit` fraction.
///
/// ```swift
/// let (train, validation) = try trainValidationSplit(x: Tensor.zeros([10, 2]), y: Tensor.zeros([10]), validationSplit: 0.3)
/// print(train.x.shape, validation.y.shape)   // [7, 2] [3]
/// ```
public func trainValidationSplit(x: Tensor, y: Tensor, validationSplit: Double) throws -> (
  train: (x: Tensor, y: Tensor), validation: (x: Tensor, y: Tensor)
) {
  let (train, validation) = try trainValidationSplit([x, y], validationSplit: validationSplit)
  return ((train[0], train[1]), (validation[0], validation[1]))
}
