import SwiftKerasCore

/// Shuffles the elements: a permutation of the indices when the stages before can be read
/// by index, a reservoir of `bufferSize` elements for streams (as tf.data).
final class ShuffleNode: DatasetNode, @unchecked Sendable {
  let upstream: any DatasetNode
  let bufferSize: Int?
  let seed: UInt64?
  let reshuffleEachIteration: Bool
  init(_ upstream: any DatasetNode, bufferSize: Int?, seed: UInt64?, reshuffleEachIteration: Bool) {
    self.upstream = upstream
    self.bufferSize = bufferSize
    self.seed = seed
    self.reshuffleEachIteration = reshuffleEachIteration
  }
  var depth: Int { upstream.depth + 1 }
  var cardinality: DatasetCardinality { upstream.cardinality }

  private func generator(_ context: IterationContext) -> RandomGenerator {
    context.generator(seed: seed, depth: depth, samePerPass: !reshuffleEachIteration)
  }

  func randomAccess(_ context: IterationContext) throws -> RandomAccessElements? {
    guard let source = try upstream.randomAccess(context) else { return nil }
    var generator = generator(context)
    let order = BatchSequence.permutation(source.count, generator: &generator)
    return RandomAccessElements(
      count: source.count, element: { try source.element(order[$0]) },
      batch: { indices in try source.batch(indices.map { order[$0] }) })
  }

  func makeIterator(_ context: IterationContext) throws -> DatasetIterator {
    if let elements = try randomAccess(context) { return elements.iterator() }
    guard let bufferSize else {
      throw SwiftKerasError(
        .invalidArgument,
        "Dataset.shuffle: this dataset is a stream (it cannot be read by index), so shuffle needs a bufferSize"
      )
    }
    let source = try upstream.iterator(context)
    var generator = generator(context)
    var buffer: [DatasetElement] = []
    buffer.reserveCapacity(min(bufferSize, 1 << 16))
    var exhausted = false
    return ClosureIterator {
      // As tf.data: keep the buffer full, then emit a uniformly chosen element and put
      // the next upstream element in its place.
      while !exhausted && buffer.count < bufferSize {
        guard let element = try source.next() else {
          exhausted = true
          break
        }
        buffer.append(element)
      }
      guard !buffer.isEmpty else { return nil }
      let pick = Int(UInt64(buffer.count).multipliedFullWidth(by: generator.next()).high)
      buffer.swapAt(pick, buffer.count - 1)
      return buffer.removeLast()
    }
  }
}

extension Dataset {
  /// Shuffles the elements, as `tf.data.Dataset.shuffle`.
  ///
  /// When every stage before can be read by index (tensors, files listed in a folder, a
  /// parsed CSV table, and maps, batches, takes of them) the whole pass is permuted and
  /// `bufferSize` is not needed; a stream (after `filter`, `unbatch`, `repeat`, `cache`)
  /// is shuffled through a buffer of `bufferSize` elements, as tf.data does.
  ///
  /// - Parameters:
  ///   - seed: the seed of the order; nil uses the iteration's seed (in `fit`, the fit's
  ///     shuffle seed, drawn from the global generator).
  ///   - reshuffleEachIteration: draw a new order each pass (epoch), as tf.data's default.
  public func shuffle(
    bufferSize: Int? = nil, seed: UInt64? = nil, reshuffleEachIteration: Bool = true
  )
    -> Dataset
  {
    if let bufferSize, bufferSize <= 0 {
      return appendingFailure("Dataset.shuffle: bufferSize must be positive, got \(bufferSize)")
    }
    return appending(
      ShuffleNode(
        node, bufferSize: bufferSize, seed: seed, reshuffleEachIteration: reshuffleEachIteration))
  }
}
