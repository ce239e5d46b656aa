import SwiftKerasCore

/// One stage of a pipeline: a source or an operator over the stages before it.
///
/// Stages are immutable and shared by every iteration; what changes while iterating lives
/// in the ``DatasetIterator`` a stage makes for one pass.
protocol DatasetNode: AnyObject, Sendable {
  /// How many elements one pass yields.
  var cardinality: DatasetCardinality { get }
  /// Stages from the source to this one, inclusive: mixed into the seed of each random
  /// stage, so two shuffles in one pipeline draw different orders.
  var depth: Int { get }
  /// An iterator over one pass.
  func makeIterator(_ context: IterationContext) throws -> DatasetIterator
  /// Direct access to element `i` of a pass, when the stage (and all before it) can give
  /// it without reading the elements before it; nil for streams.
  func randomAccess(_ context: IterationContext) throws -> RandomAccessElements?
}

extension DatasetNode {
  func randomAccess(_ context: IterationContext) throws -> RandomAccessElements? { nil }
}

/// What one pass over a pipeline depends on besides its stages: the seed that unseeded
/// random stages use and the pass number (epoch), so each epoch shuffles anew and the same
/// (seed, pass) always gives the same elements.
public struct IterationContext: Sendable, Equatable {
  /// The seed of stages created without one.
  public var seed: UInt64
  /// The pass (epoch) index.
  public var pass: Int

  /// A context for pass `pass` with `seed`.
  public init(seed: UInt64, pass: Int = 0) {
    self.seed = seed
    self.pass = pass
  }

  /// Which repetition of each enclosing ``Dataset/repeat(_:)`` this is, mixed into the
  /// order of every stage that reshuffles per pass.
  var repetitionSalt: UInt64 = 0

  /// The context of repetition `repetition` of a ``Dataset/repeat(_:)``.
  func repetition(_ repetition: Int) -> IterationContext {
    var context = self
    context.repetitionSalt =
      (repetitionSalt &* 0x9E37_79B9_7F4A_7C15) ^ UInt64(truncatingIfNeeded: repetition + 1)
    return context
  }

  /// The generator of a random stage at `depth` with an optional explicit seed; it draws a
  /// new order each pass unless `samePerPass`.
  func generator(seed explicit: UInt64?, depth: Int, samePerPass: Bool = false) -> RandomGenerator {
    let base = explicit ?? seed
    let passMix =
      samePerPass
      ? 0
      : (UInt64(truncatingIfNeeded: pass) &* 0xD1B5_4A32_D192_ED03)
        ^ (repetitionSalt &* 0xA24B_AED4_963E_E407)
    var generator = RandomGenerator(
      seed: base ^ passMix ^ (UInt64(truncatingIfNeeded: depth) &* 0x8CB9_2BA7_2F3D_8DD7))
    // One draw mixes the seed's bits before the first value is used.
    _ = generator.next()
    return generator
  }
}

/// Yields the elements of one pass, in order; nil at the end.
///
/// Iterators are used from one thread at a time (``Dataset/prefetch(_:)`` hands its
/// upstream iterator to its worker thread and never touches it itself).
public class DatasetIterator {
  /// The next element, or nil when the pass is over.
  public func next() throws -> DatasetElement? { nil }

  /// Skips `count` elements (fewer if the pass ends first) and returns how many it skipped.
  public func skip(_ count: Int) throws -> Int {
    var skipped = 0
    while skipped < count, try next() != nil { skipped += 1 }
    return skipped
  }
}

/// An iterator reading a closure (the stages' small iterators).
final class ClosureIterator: DatasetIterator {
  private let body: () throws -> DatasetElement?
  init(_ body: @escaping () throws -> DatasetElement?) { self.body = body }
  override func next() throws -> DatasetElement? { try body() }
}

/// Element `i` of a pass for any `i` in `0..<count`, and a batch of several at once.
struct RandomAccessElements {
  /// The number of elements.
  let count: Int
  /// Element `index`.
  let element: (Int) throws -> DatasetElement
  /// The elements at `indices` stacked into one batch (a direct gather for in-memory data).
  let batch: ([Int]) throws -> DatasetElement

  /// Access through `element` alone: batches stack the elements.
  init(count: Int, element: @escaping (Int) throws -> DatasetElement) {
    self.count = count
    self.element = element
    self.batch = { indices in
      try DatasetElement.stack(try indices.map(element), context: "batch")
    }
  }

  /// Access with a faster batch gather.
  init(
    count: Int, element: @escaping (Int) throws -> DatasetElement,
    batch: @escaping ([Int]) throws -> DatasetElement
  ) {
    self.count = count
    self.element = element
    self.batch = batch
  }

  /// An iterator over the elements in order.
  func iterator() -> DatasetIterator { RandomAccessIterator(self) }
}

/// Reads a ``RandomAccessElements`` in order; skipping is free.
final class RandomAccessIterator: DatasetIterator {
  private let elements: RandomAccessElements
  private var position = 0
  init(_ elements: RandomAccessElements) { self.elements = elements }

  override func next() throws -> DatasetElement? {
    guard position < elements.count else { return nil }
    defer { position += 1 }
    return try elements.element(position)
  }

  override func skip(_ count: Int) throws -> Int {
    let skipped = max(0, min(count, elements.count - position))
    position += skipped
    return skipped
  }
}
