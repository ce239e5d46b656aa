import SwiftKerasCore

/// A dataset over arrays held in memory, one element per row of their first axis.
final class ArraySource: DatasetNode, @unchecked Sendable {
  let all: DatasetElement
  let rows: Int
  var depth: Int { 1 }
  init(_ all: DatasetElement, rows: Int) {
    self.all = all
    self.rows = rows
  }
  var cardinality: DatasetCardinality { .finite(rows) }
  func makeIterator(_ context: IterationContext) throws -> DatasetIterator {
    try randomAccess(context)?.iterator() ?? DatasetIterator()
  }
  func randomAccess(_ context: IterationContext) throws -> RandomAccessElements? {
    let all = self.all
    return RandomAccessElements(
      count: rows, element: { all.row($0) }, batch: { all.gatherRows($0) })
  }

  /// The source, or a failed stage when the arrays' first axes differ.
  static func make(_ element: DatasetElement, context: String) -> any DatasetNode {
    let arrays = element.arrays
    guard let first = arrays.first, !first.shape.isEmpty else {
      return FailedNode(
        SwiftKerasError(.invalidArgument, "\(context): needs at least one array with a first axis"),
        depth: 1)
    }
    let rows = first.shape[0]
    for (i, array) in arrays.enumerated() where array.shape.first != rows {
      return FailedNode(
        SwiftKerasError(
          .shapeMismatch,
          "\(context): array \(i) has shape \(array.shape) but array 0 has \(rows) rows; every array needs one row per sample"
        ), depth: 1)
    }
    if let weight = element.sampleWeight,
      weight.shape.count > 2 || (weight.shape.count == 2 && weight.shape[1] != 1)
    {
      return FailedNode(
        SwiftKerasError(
          .shapeMismatch, "\(context): sampleWeight must have shape [\(rows)], got \(weight.shape)"),
        depth: 1)
    }
    return ArraySource(element, rows: rows)
  }
}

extension Dataset {
  /// A dataset of the rows of `x`, `y` and `sampleWeight` (one element per row of their
  /// first axis), as `tf.data.Dataset.from_tensor_slices((x, y, sample_weight))`. The
  /// tensors are not copied: elements and batches are read from them when iterated.
  ///
  /// Rows counts that differ throw when iteration starts.
  public init(x: Tensor, y: Tensor? = nil, sampleWeight: Tensor? = nil) {
    self.init(x: [x], y: y.map { [$0] } ?? [], sampleWeight: sampleWeight)
  }

  /// A dataset of several inputs and targets (in the model's input and output order).
  public init(x: [Tensor], y: [Tensor] = [], sampleWeight: Tensor? = nil) {
    let element = DatasetElement(x: x, y: y, sampleWeight: sampleWeight)
    self.init(ArraySource.make(element, context: "Dataset(x:y:)"), isBatched: false)
  }

  /// A dataset of the rows of arrays of any kind (bytes stay bytes until batched).
  public init(arrays element: DatasetElement, classNames: [String]? = nil) {
    self.init(
      ArraySource.make(element, context: "Dataset(arrays:)"), isBatched: false,
      classNames: classNames)
  }
}
