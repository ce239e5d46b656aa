import SwiftKerasCore

/// The mini-batches of one epoch: sample indices, shuffled or in order, in groups of
/// `batchSize` (the last group may be smaller), as Keras's `fit` draws them.
///
/// Only the index permutation is built; the data is never copied. Materialise a batch
/// with `Tensor.gathering(rows:)`, or iterate ``tensorBatches(_:_:)``.
///
/// ```swift
/// var generator = RandomGenerator(seed: 1)
/// let x = Tensor.zeros([10, 3])
/// let y = Tensor.zeros([10])
/// let epoch = try BatchSequence(count: 10, batchSize: 4, shuffle: true, generator: &generator)
/// print(epoch.count)                    // 3 batches: 4, 4 and 2 samples
/// for indices in epoch {
///   let xBatch = x.gathering(rows: indices)   // [4, 3], [4, 3], then [2, 3]
///   _ = xBatch
/// }
/// for (xBatch, yBatch) in try epoch.tensorBatches(x, y) { _ = (xBatch, yBatch) }
/// ```
public struct BatchSequence: RandomAccessCollection, Sendable {
  /// The number of samples the batches cover.
  public let sampleCount: Int
  /// The largest number of samples in one batch.
  public let batchSize: Int
  /// The sample order of this epoch, or `nil` when not shuffled (0, 1, 2, …).
  public let order: [Int]?

  /// Creates the batches of one epoch, shuffling with `generator` when `shuffle` is set.
  ///
  /// - Throws: ``SwiftKerasError`` `.invalidArgument` if `count` is negative or
  ///   `batchSize` is not positive.
  public init(count: Int, batchSize: Int, shuffle: Bool = true, generator: inout RandomGenerator)
    throws
  {
    guard count >= 0 else {
      throw SwiftKerasError(.invalidArgument, "BatchSequence: count must be >= 0, got \(count)")
    }
    guard batchSize >= 1 else {
      throw SwiftKerasError(
        .invalidArgument, "BatchSequence: batchSize must be >= 1, got \(batchSize)")
    }
    sampleCount = count
    self.batchSize = batchSize
    order = shuffle ? BatchSequence.permutation(count, generator: &generator) : nil
  }

  /// Creates the batches of one epoch, shuffling with a generator drawn from
  /// ``GlobalRandom`` (so `setRandomSeed(_:)` makes the order repeat).
  public init(count: Int, batchSize: Int, shuffle: Bool = true) throws {
    var generator = GlobalRandom.makeGenerator()
    try self.init(count: count, batchSize: batchSize, shuffle: shuffle, generator: &generator)
  }

  /// A uniformly random permutation of `0..<count` (Fisher–Yates with unbiased
  /// multiply-high sampling, identical on every platform for a given generator state).
  static func permutation(_ count: Int, generator: inout RandomGenerator) -> [Int] {
    var result = Array(0..<count)
    result.withUnsafeMutableBufferPointer { p in
      var i = count - 1
      while i > 0 {
        let j = Int(UInt64(i + 1).multipliedFullWidth(by: generator.next()).high)
        p.swapAt(i, j)
        i -= 1
      }
    }
    return result
  }

  /// The first batch's position, 0.
  public var startIndex: Int { 0 }
  /// The number of batches, `ceil(sampleCount / batchSize)`.
  public var endIndex: Int { (sampleCount + batchSize - 1) / batchSize }

  /// The positions in ``order`` that batch `position` covers.
  public func sampleRange(ofBatch position: Int) -> Range<Int> {
    let start = position * batchSize
    return start..<Swift.min(start + batchSize, sampleCount)
  }

  /// The sample indices of batch `position`.
  public subscript(position: Int) -> [Int] {
    let range = sampleRange(ofBatch: position)
    if let order { return Array(order[range]) }
    return Array(range)
  }

  /// The batches of `x` and `y` (rows gathered lazily as you iterate).
  ///
  /// - Throws: ``SwiftKerasError`` `.shapeMismatch` if either tensor's first axis is not
  ///   ``sampleCount``.
  public func tensorBatches(_ x: Tensor, _ y: Tensor) throws -> LazyMapCollection<
    BatchSequence, (x: Tensor, y: Tensor)
  > {
    for (name, t) in [("x", x), ("y", y)] where t.rank == 0 || t.shape[0] != sampleCount {
      throw SwiftKerasError(
        .shapeMismatch,
        "BatchSequence: \(name) has shape \(t.shape); expected \(sampleCount) samples along axis 0")
    }
    return lazy.map { (x: x.gathering(rows: $0), y: y.gathering(rows: $0)) }
  }
}
