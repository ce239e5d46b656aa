import SwiftKerasCore

/// Pairs the elements of two datasets.
final class ZipNode: TwoUpstreamNode, DatasetNode, @unchecked Sendable {
  override class var secondSeedSalt: UInt64 { 0x5851_F42D_4C95_7F2D }
  let combine: (DatasetElement, DatasetElement) -> DatasetElement
  init(
    _ first: any DatasetNode, _ second: any DatasetNode,
    combine: @escaping (DatasetElement, DatasetElement) -> DatasetElement
  ) {
    self.combine = combine
    super.init(first, second)
  }
  var cardinality: DatasetCardinality {
    switch (first.cardinality, second.cardinality) {
    case (.finite(let a), .finite(let b)): return .finite(min(a, b))
    case (.finite(let a), .infinite), (.infinite, .finite(let a)): return .finite(a)
    case (.infinite, .infinite): return .infinite
    default: return .unknown
    }
  }
  func randomAccess(_ context: IterationContext) throws -> RandomAccessElements? {
    guard let (a, b) = try randomAccessBoth(context) else { return nil }
    let combine = self.combine
    return RandomAccessElements(
      count: min(a.count, b.count), element: { combine(try a.element($0), try b.element($0)) },
      batch: { combine(try a.batch($0), try b.batch($0)) })
  }
  func makeIterator(_ context: IterationContext) throws -> DatasetIterator {
    let a = try first.iterator(context)
    let b = try second.iterator(secondContext(context))
    let combine = self.combine
    return ClosureIterator {
      guard let left = try a.next(), let right = try b.next() else { return nil }
      return combine(left, right)
    }
  }
}

extension Dataset {
  /// Pairs this dataset's elements with `other`'s, as `tf.data.Dataset.zip`: the inputs
  /// of both (this one's first), the targets of both, and the first sample weight; it
  /// ends with the shorter.
  public func zip(_ other: Dataset) -> Dataset {
    Dataset(
      ZipNode(node, other.node) { a, b in
        DatasetElement(x: a.x + b.x, y: a.y + b.y, sampleWeight: a.sampleWeight ?? b.sampleWeight)
      }, isBatched: isBatched && other.isBatched, classNames: classNames ?? other.classNames,
      workerThreads: workerThreads + other.workerThreads)
  }

  /// Inputs from `x` and targets from the inputs of `y`, as
  /// `tf.data.Dataset.zip((x, y))` of two unlabelled datasets.
  ///
  /// ```swift
  /// let pairs = Dataset.zip(x: Dataset(x: images), y: Dataset(x: labels))
  /// ```
  public static func zip(x: Dataset, y: Dataset) -> Dataset {
    Dataset(
      ZipNode(x.node, y.node) { a, b in DatasetElement(x: a.x, y: b.x) },
      isBatched: x.isBatched && y.isBatched, classNames: x.classNames,
      workerThreads: x.workerThreads + y.workerThreads)
  }
}
