import SwiftKerasCore

/// The first `count` elements.
final class TakeNode: DatasetNode, @unchecked Sendable {
  let upstream: any DatasetNode
  let count: Int
  init(_ upstream: any DatasetNode, count: Int) {
    self.upstream = upstream
    self.count = count
  }
  var depth: Int { upstream.depth + 1 }
  var cardinality: DatasetCardinality {
    switch upstream.cardinality {
    case .finite(let n): return .finite(min(n, count))
    case .infinite: return .finite(count)
    case .unknown: return .unknown
    }
  }
  func randomAccess(_ context: IterationContext) throws -> RandomAccessElements? {
    guard let source = try upstream.randomAccess(context) else { return nil }
    return RandomAccessElements(
      count: min(source.count, count), element: source.element, batch: source.batch)
  }
  func makeIterator(_ context: IterationContext) throws -> DatasetIterator {
    let source = try upstream.iterator(context)
    var taken = 0
    let count = self.count
    return ClosureIterator {
      guard taken < count, let element = try source.next() else { return nil }
      taken += 1
      return element
    }
  }
}

extension Dataset {
  /// The first `count` elements, as `tf.data.Dataset.take` (all of them if fewer).
  public func take(_ count: Int) -> Dataset {
    guard count >= 0 else {
      return appending(
        FailedNode(
          SwiftKerasError(
            .invalidArgument, "Dataset.take: count must not be negative, got \(count)"),
          depth: node.depth + 1))
    }
    return appending(TakeNode(node, count: count))
  }
}
