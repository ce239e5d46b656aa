import SwiftKerasCore

/// A source of batches the user writes, as `keras.utils.PyDataset`: a batch count
/// (`__len__`) and a subscript returning the batch at an index (`__getitem__`); `fit`,
/// `evaluate` and `predict` take one like a ``Dataset``.
///
/// ```swift
/// final class Squares: PyDataset {
///   var batchCount: Int { 10 }
///   subscript(index: Int) -> DatasetElement {
///     get throws {
///       let x = Tensor(shape: [4, 1], values: (0..<4).map { Float(index * 4 + $0) })
///       return DatasetElement(x: [x], y: [x * x])
///     }
///   }
/// }
/// try model.fit(Squares(), epochs: 3)
/// ```
///
/// Batches are read in index order; `onEpochEnd` runs after each epoch of `fit` (shuffle
/// there, as in Keras). Wrap it in ``Dataset/init(_:)`` to add operators such as
/// `prefetch`.
public protocol PyDataset: AnyObject {
  /// The number of batches per epoch (`__len__`).
  var batchCount: Int { get }
  /// The batch at `index` in `0..<batchCount` (`__getitem__`); it may throw.
  subscript(index: Int) -> DatasetElement { get throws }
  /// Called after each training epoch.
  func onEpochEnd() throws
}

extension PyDataset {
  /// Does nothing.
  public func onEpochEnd() throws {}
}

/// A ``PyDataset`` as a pipeline source.
final class PyDatasetSource: DatasetNode, @unchecked Sendable {
  let source: any PyDataset
  init(_ source: any PyDataset) { self.source = source }
  var depth: Int { 1 }
  var cardinality: DatasetCardinality { .finite(max(source.batchCount, 0)) }
  func makeIterator(_ context: IterationContext) throws -> DatasetIterator {
    try randomAccess(context)?.iterator() ?? DatasetIterator()
  }
  func randomAccess(_ context: IterationContext) throws -> RandomAccessElements? {
    let source = self.source
    let count = source.batchCount
    guard count >= 0 else {
      throw SwiftKerasError(
        .invalidArgument, "PyDataset: batchCount must not be negative, got \(count)")
    }
    return RandomAccessElements(count: count, element: { try source[$0] })
  }
}

extension Dataset {
  /// A batched dataset reading `source`'s batches in index order; `fit` calls its
  /// `onEpochEnd` after each epoch.
  public init(_ source: any PyDataset) {
    self.init(PyDatasetSource(source), isBatched: true, epochEndHook: { try source.onEpochEnd() })
  }
}
