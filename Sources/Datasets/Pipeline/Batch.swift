import SwiftKerasCore

/// Groups consecutive elements into batches.
final class BatchNode: DatasetNode, @unchecked Sendable {
  let upstream: any DatasetNode
  let size: Int
  let dropRemainder: Bool
  init(_ upstream: any DatasetNode, size: Int, dropRemainder: Bool) {
    self.upstream = upstream
    self.size = size
    self.dropRemainder = dropRemainder
  }
  var depth: Int { upstream.depth + 1 }
  var cardinality: DatasetCardinality {
    switch upstream.cardinality {
    case .finite(let n): return .finite(n / size + (dropRemainder || n % size == 0 ? 0 : 1))
    case let other: return other
    }
  }

  func randomAccess(_ context: IterationContext) throws -> RandomAccessElements? {
    guard let source = try upstream.randomAccess(context) else { return nil }
    let (n, size) = (source.count, self.size)
    let batches = n / size + (dropRemainder || n % size == 0 ? 0 : 1)
    let batch = { (b: Int) in
      try source.batch(Array((b * size)..<min((b + 1) * size, n)))
    }
    return RandomAccessElements(count: batches, element: batch)
  }

  func makeIterator(_ context: IterationContext) throws -> DatasetIterator {
    if let elements = try randomAccess(context) { return elements.iterator() }
    let source = try upstream.iterator(context)
    let (size, dropRemainder) = (self.size, self.dropRemainder)
    return ClosureIterator {
      var pending: [DatasetElement] = []
      pending.reserveCapacity(size)
      while pending.count < size, let element = try source.next() { pending.append(element) }
      if pending.isEmpty || (dropRemainder && pending.count < size) { return nil }
      return try DatasetElement.stack(pending, context: "Dataset.batch")
    }
  }
}

extension Dataset {
  /// Groups consecutive elements into batches of `size` along a new first axis, as
  /// `tf.data.Dataset.batch`; the last batch may be smaller unless `dropRemainder`.
  ///
  /// Bytes (images, IDX files) become floats here, so the pipeline holds one byte per
  /// pixel until a batch is formed.
  public func batch(_ size: Int, dropRemainder: Bool = false) -> Dataset {
    guard size > 0 else {
      return appendingFailure("Dataset.batch: size must be positive, got \(size)", isBatched: true)
    }
    return appending(BatchNode(node, size: size, dropRemainder: dropRemainder), isBatched: true)
  }
}
