import SwiftKerasCore

/// What skip and take share: the stage before them and how many of its elements they
/// count off.
class CountNode: @unchecked Sendable {
  let upstream: any DatasetNode
  let count: Int
  required init(_ upstream: any DatasetNode, count: Int) {
    self.upstream = upstream
    self.count = count
  }
  var depth: Int { upstream.depth + 1 }
}

extension Dataset {
  /// The dataset with a `Node` counting off `count` elements, or a failing stage when
  /// `count` is negative; `operation` names the method in the message.
  func appendingCount<Node: CountNode & DatasetNode>(
    _ type: Node.Type, _ count: Int, operation: String
  ) -> Dataset {
    guard count >= 0 else {
      return appendingFailure("Dataset.\(operation): count must not be negative, got \(count)")
    }
    return appending(Node(node, count: count))
  }
}

/// Every element after the first `count`.
final class SkipNode: CountNode, DatasetNode, @unchecked Sendable {
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
    appendingCount(SkipNode.self, count, operation: "skip")
  }
}
