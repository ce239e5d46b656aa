import SwiftKerasCore

/// Every element after the first `count`.
final class SkipNode: DatasetNode, @unchecked Sendable {
  let upstream: any DatasetNode
  let count: Int
  init(_ upstream: any DatasetNode, count: Int) {
    self.upstream = upstream
    self.count = count
  }
  var depth: Int { upstream.depth + 1 }
  var cardinality: DatasetCardinality {
    switch upstream.cardinality {
    case .finite(let n): return .finite(max(n - count, 0))
    case let other: return other
    }
  }
  func randomAccess(_ context: IterationContext) throws -> RandomAccessElements? {
    guard let source = try upstream.randomAccess(context) else { return nil }
    let offset = min(count, source.count)
    return RandomAccessElements(
      count: source.count - offset, element: { try source.element($0 + offset) },
      batch: { indices in try source.batch(indices.map { $0 + offset }) })
  }
  func makeIterator(_ context: IterationContext) throws -> DatasetIterator {
    let source = try upstream.iterator(context)
    _ = try source.skip(count)
    return source
  }
}

extension Dataset {
  /// The elements after the first `count`, as `tf.data.Dataset.skip`.
  public func skip(_ count: Int) -> Dataset {
    guard count >= 0 else {
      return appending(
        FailedNode(
          SwiftKerasError(
            .invalidArgument, "Dataset.skip: count must not be negative, got \(count)"),
          depth: node.depth + 1))
    }
    return appending(SkipNode(node, count: count))
  }
}
