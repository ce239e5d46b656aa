import SwiftKerasCore

/// Keeps the elements a predicate accepts.
final class FilterNode: DatasetNode, @unchecked Sendable {
  let upstream: any DatasetNode
  let predicate: (DatasetElement) throws -> Bool
  init(_ upstream: any DatasetNode, _ predicate: @escaping (DatasetElement) throws -> Bool) {
    self.upstream = upstream
    self.predicate = predicate
  }
  var depth: Int { upstream.depth + 1 }
  var cardinality: DatasetCardinality {
    upstream.cardinality == .infinite ? .infinite : .unknown
  }
  func makeIterator(_ context: IterationContext) throws -> DatasetIterator {
    let source = try upstream.iterator(context)
    let predicate = self.predicate
    return ClosureIterator {
      while let element = try source.next() {
        if try predicate(element) { return element }
      }
      return nil
    }
  }
}

extension Dataset {
  /// Keeps the elements for which `isIncluded` returns true, as `tf.data.Dataset.filter`;
  /// the count becomes unknown.
  ///
  /// ```swift
  /// let positives = Dataset(x: x, y: y).filter { _, label in label.scalar > 0 }
  /// ```
  public func filter(_ isIncluded: @escaping (Tensor, Tensor) throws -> Bool) -> Dataset {
    filter { (element: DatasetElement) in
      let (x, y) = try element.pair(context: "Dataset.filter")
      return try isIncluded(x, y)
    }
  }

  /// Keeps the elements for which `isIncluded` returns true.
  public func filter(_ isIncluded: @escaping (DatasetElement) throws -> Bool) -> Dataset {
    appending(FilterNode(node, isIncluded))
  }
}
