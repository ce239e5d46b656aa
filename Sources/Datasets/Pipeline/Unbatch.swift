import SwiftKerasCore

/// Splits batches back into elements.
final class UnbatchNode: DatasetNode, @unchecked Sendable {
  let upstream: any DatasetNode
  init(_ upstream: any DatasetNode) { self.upstream = upstream }
  var depth: Int { upstream.depth + 1 }
  var cardinality: DatasetCardinality {
    upstream.cardinality == .infinite ? .infinite : .unknown
  }
  func makeIterator(_ context: IterationContext) throws -> DatasetIterator {
    let source = try upstream.iterator(context)
    var current: DatasetElement?
    var row = 0
    return ClosureIterator {
      while true {
        if let batch = current, row < batch.rowCount {
          defer { row += 1 }
          return batch.row(row)
        }
        guard let next = try source.next() else { return nil }
        guard next.arrays.allSatisfy({ !$0.shape.isEmpty }) else {
          throw SwiftKerasError(
            .shapeMismatch, "Dataset.unbatch: an element holds a scalar, which has no rows to split"
          )
        }
        (current, row) = (next, 0)
      }
    }
  }
}

extension Dataset {
  /// Splits each batch into its rows, as `tf.data.Dataset.unbatch`.
  public func unbatch() -> Dataset { appending(UnbatchNode(node), isBatched: false) }
}
