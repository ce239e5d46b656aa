import SwiftKerasCore

/// Applies a transform to every element.
final class MapNode: DatasetNode, @unchecked Sendable {
  let upstream: any DatasetNode
  let transform: (DatasetElement) throws -> DatasetElement
  init(
    _ upstream: any DatasetNode, _ transform: @escaping (DatasetElement) throws -> DatasetElement
  ) {
    self.upstream = upstream
    self.transform = transform
  }
  var depth: Int { upstream.depth + 1 }
  var cardinality: DatasetCardinality { upstream.cardinality }
  func makeIterator(_ context: IterationContext) throws -> DatasetIterator {
    let source = try upstream.iterator(context)
    let transform = self.transform
    return ClosureIterator { try source.next().map(transform) }
  }
  func randomAccess(_ context: IterationContext) throws -> RandomAccessElements? {
    guard let source = try upstream.randomAccess(context) else { return nil }
    let transform = self.transform
    return RandomAccessElements(count: source.count, element: { try transform(source.element($0)) })
  }
}

extension Dataset {
  /// Transforms every element — every batch after ``batch(_:dropRemainder:)``, which is
  /// where Keras pipelines scale or augment — as `tf.data.Dataset.map`.
  ///
  /// ```swift
  /// let scaled = Dataset(x: images, y: labels).batch(32).map { x, y in (x / 255, y) }
  /// ```
  ///
  /// - Parameters:
  ///   - onWorkerThread: run the transform on a background thread, one element ahead of
  ///     the consumer (the same as following the map with `prefetch(1)`); the transform
  ///     must then not touch state the training thread uses.
  ///   - transform: takes the single input and target as float tensors (bytes are
  ///     converted); it throws (when iterated) for elements with several inputs or
  ///     targets, which need the ``DatasetElement`` form.
  public func map(
    onWorkerThread: Bool = false, _ transform: @escaping (Tensor, Tensor) throws -> (Tensor, Tensor)
  ) -> Dataset {
    map(onWorkerThread: onWorkerThread) { (element: DatasetElement) in
      let (xIn, yIn) = try element.pair(context: "Dataset.map")
      let (x, y) = try transform(xIn, yIn)
      return DatasetElement(
        x: [DataArray(x)], y: [DataArray(y)], sampleWeight: element.sampleWeight)
    }
  }

  /// Transforms every element, inputs, targets and weights together.
  public func map(
    onWorkerThread: Bool = false,
    _ transform: @escaping (DatasetElement) throws -> DatasetElement
  ) -> Dataset {
    let mapped = appending(MapNode(node, transform))
    return onWorkerThread ? mapped.prefetch(1) : mapped
  }
}
