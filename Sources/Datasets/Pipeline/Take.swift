import SwiftKerasCore

/// The first `count` elements.
final class TakeNode: CountNode, DatasetNode, @unchecked Sendable {
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
    appendingCount(TakeNode.self, count, operation: "take")
  }
}
