import SwiftKerasCore

/// One-hot encodes integer class labels, as `keras.utils.to_categorical`.
///
/// Labels of shape `S` give shape `S + [numClasses]`; a trailing axis of extent 1 is
/// dropped first (`[N, 1]` gives `[N, numClasses]`, as in Keras).
///
/// ```swift
/// let labels = Tensor([0, 2, 1])
/// print(try toCategorical(labels, numClasses: 3))
/// // [[1, 0, 0], [0, 0, 1], [0, 1, 0]]
/// ```
///
/// - Parameters:
///   - labels: whole numbers in `0..<numClasses`.
///   - numClasses: the number of classes; by default the largest label plus one.
/// - Throws: ``SwiftKerasError`` `.invalidData` if a label is negative, not a whole
///   number, or not below `numClasses` (the message names the first bad label and its
///   index), or if `numClasses` is omitted for empty labels; `.invalidArgument` if
///   `numClasses` is below 1.
public func toCategorical(_ labels: Tensor, numClasses: Int? = nil) throws -> Tensor {
  if let numClasses, numClasses < 1 {
    throw SwiftKerasError(
      .invalidArgument, "toCategorical: numClasses must be >= 1, got \(numClasses)")
  }
  var inputShape = labels.shape
  if inputShape.count > 1 && inputShape.last == 1 { inputShape.removeLast() }
  let count = labels.count
  var classes = 0
  try labels.withUnsafeBufferPointer { values in
    for i in 0..<count {
      let v = values[i]
      guard v >= 0 && v == v.rounded(.towardZero) && v < Float(Int32.max) else {
        throw SwiftKerasError(
          .invalidData,
          "toCategorical: label \(v) at index \(i) is not a non-negative whole number")
      }
      if let numClasses, Int(v) >= numClasses {
        throw SwiftKerasError(
          .invalidData,
          "toCategorical: label \(Int(v)) at index \(i) is out of range for numClasses=\(numClasses) "
            + "(expected 0...\(numClasses - 1))")
      }
      classes = Swift.max(classes, Int(v) + 1)
    }
  }
  if numClasses == nil && count == 0 {
    throw SwiftKerasError(
      .invalidData, "toCategorical: cannot infer numClasses from empty labels; pass numClasses")
  }
  let width = numClasses ?? classes
  return Tensor(shape: inputShape + [width]) { out in
    out.initialize(repeating: 0)
    labels.withUnsafeBufferPointer { values in
      for i in 0..<count { out[i * width + Int(values[i])] = 1 }
    }
  }
}
