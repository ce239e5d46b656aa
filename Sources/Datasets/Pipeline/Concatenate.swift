import SwiftKerasCore

/// What concatenate and zip share: two stages before them, the second read in a context
/// of its own.
class TwoUpstreamNode: @unchecked Sendable {
  let first: any DatasetNode
  let second: any DatasetNode
  init(_ first: any DatasetNode, _ second: any DatasetNode) {
    self.first = first
    self.second = second
  }
  var depth: Int { max(first.depth, second.depth) + 1 }
  /// Mixed into the second dataset's seed.
  class var secondSeedSalt: UInt64 { 0 }
  /// The second dataset's context: its own seed, so combining a dataset with a copy of
  /// itself does not shuffle both the same way.
  func secondContext(_ context: IterationContext) -> IterationContext {
    IterationContext(seed: context.seed ^ Self.secondSeedSalt, pass: context.pass)
  }
  /// Random access to both datasets, when both have it.
  func randomAccessBoth(_ context: IterationContext) throws -> (
    RandomAccessElements, RandomAccessElements
  )? {
    guard let a = try first.randomAccess(context),
      let b = try second.randomAccess(secondContext(context))
    else { return nil }
    return (a, b)
  }
}

/// One dataset's elements, then another's.
final class ConcatenateNode: TwoUpstreamNode, DatasetNode, @unchecked Sendable {
  override class var secondSeedSalt: UInt64 { 0x2545_F491_4F6C_DD1D }
  var cardinality: DatasetCardinality {
    switch (first.cardinality, second.cardinality) {
    case (.finite(let a), .finite(let b)):
      let (sum, overflow) = a.addingReportingOverflow(b)
      return overflow ? .unknown : .finite(sum)
    case (.infinite, _), (_, .infinite): return .infinite
    default: return .unknown
    }
  }
  func randomAccess(_ context: IterationContext) throws -> RandomAccessElements? {
    guard let (a, b) = try randomAccessBoth(context) else { return nil }
    let split = a.count
    let element = { (i: Int) in i < split ? try a.element(i) : try b.element(i - split) }
    return RandomAccessElements(count: a.count + b.count, element: element)
  }
  func makeIterator(_ context: IterationContext) throws -> DatasetIterator {
    let a = try first.iterator(context)
    let secondNode = second
    let next = secondContext(context)
    var b: DatasetIterator?
    var reference: DatasetElement?
    return ClosureIterator {
      if b == nil {
        if let element = try a.next() {
          if reference == nil { reference = element }
          return element
        }
        b = try secondNode.iterator(next)
      }
      guard let element = try b?.next() else { return nil }
      if let reference {
        try element.checkSameStructure(as: reference, context: "Dataset.concatenate")
      }
      return element
    }
  }
}

extension Dataset {
  /// This dataset's elements, then `other`'s, as `tf.data.Dataset.concatenate`; their
  /// elements must have the same inputs, targets and weights.
  public func concatenate(_ other: Dataset) -> Dataset {
    Dataset(
      ConcatenateNode(node, other.node), isBatched: isBatched && other.isBatched,
      classNames: classNames ?? other.classNames, workerThreads: workerThreads + other.workerThreads
    )
  }
}
