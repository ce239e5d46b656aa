import SwiftKerasCore

/// One element of a ``Dataset``: inputs, targets and an optional sample weight, as Keras's
/// `(x, y, sample_weight)` tuples. In a batched dataset every array has the batch as its
/// first axis.
public struct DatasetElement: @unchecked Sendable {
  /// The inputs, in the model's input order.
  public var x: [DataArray]
  /// The targets, in the model's output order (empty for an unlabelled dataset).
  public var y: [DataArray]
  /// One weight per sample (a scalar for an unbatched element), or nil.
  public var sampleWeight: DataArray?

  /// An element of the given arrays.
  public init(x: [DataArray], y: [DataArray] = [], sampleWeight: DataArray? = nil) {
    self.x = x
    self.y = y
    self.sampleWeight = sampleWeight
  }

  /// An element of float tensors.
  public init(x: [Tensor], y: [Tensor] = [], sampleWeight: Tensor? = nil) {
    self.init(
      x: x.map(DataArray.init), y: y.map(DataArray.init),
      sampleWeight: sampleWeight.map(DataArray.init))
  }

  /// Every array, in the order x, y, sample weight.
  var arrays: [DataArray] { x + y + (sampleWeight.map { [$0] } ?? []) }

  /// The same structure with `arrays` (as ``arrays`` orders them).
  func replacing(_ arrays: [DataArray]) -> DatasetElement {
    let xCount = x.count
    let yCount = y.count
    return DatasetElement(
      x: Array(arrays[0..<xCount]), y: Array(arrays[xCount..<(xCount + yCount)]),
      sampleWeight: sampleWeight == nil ? nil : arrays[xCount + yCount])
  }

  /// The number of rows of a batch (its first array's first axis).
  var rowCount: Int { x.first?.rowCount ?? y.first?.rowCount ?? 0 }

  /// The single input and target as float tensors, for the two-argument `map` and
  /// `filter`.
  func pair(context: String) throws -> (Tensor, Tensor) {
    guard x.count == 1, y.count == 1 else {
      throw SwiftKerasError(
        .invalidArgument,
        "\(context): the (x, y) form needs one input and one target, the elements have \(x.count) and \(y.count); use the DatasetElement form"
      )
    }
    return (try x[0].tensor(), try y[0].tensor())
  }

  /// Checks that both elements have the same number of inputs, targets and weights.
  func checkSameStructure(as other: DatasetElement, context: String) throws {
    guard x.count == other.x.count, y.count == other.y.count,
      (sampleWeight == nil) == (other.sampleWeight == nil)
    else {
      throw SwiftKerasError(
        .shapeMismatch,
        "\(context): elements with \(x.count) inputs, \(y.count) targets\(sampleWeight == nil ? "" : " and weights") and with \(other.x.count) inputs, \(other.y.count) targets\(other.sampleWeight == nil ? "" : " and weights") cannot be mixed"
      )
    }
  }

  /// Stacks elements into one batch.
  static func stack(_ elements: [DatasetElement], context: String) throws -> DatasetElement {
    guard let first = elements.first else {
      throw SwiftKerasError(.invalidArgument, "\(context): no elements to batch")
    }
    for element in elements.dropFirst() {
      try element.checkSameStructure(as: first, context: context)
    }
    let arrayCount = first.arrays.count
    let columns = elements.map(\.arrays)
    let stacked = try (0..<arrayCount).map { a in
      try DataArray.stack(columns.map { $0[a] }, context: context)
    }
    return first.replacing(stacked)
  }

  /// Row `index` of a batch.
  func row(_ index: Int) -> DatasetElement { replacing(arrays.map { $0.row(index) }) }

  /// The rows at `indices` of a batch (or of a whole in-memory data set) as one batch.
  func gatherRows(_ indices: [Int]) -> DatasetElement {
    replacing(arrays.map { $0.gatherRows(indices) })
  }
}
