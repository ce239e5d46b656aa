import SwiftKerasCore

/// A lazy pipeline of training elements — inputs, targets and optional sample weights —
/// as Keras's `tf.data.Dataset`: a source (tensors, a CSV file, a folder of images or
/// texts, a time series, IDX files, a ``PyDataset``) followed by operators, read one
/// element at a time while `fit` trains.
///
/// ```swift
/// let pipeline = Dataset(x: xTrain, y: yTrain)
///   .shuffle(bufferSize: 10_000)
///   .batch(32)
///   .map { x, y in (x / 255, y) }
///   .prefetch(2)
/// try model.fit(pipeline, epochs: 5, validationData: test)
/// ```
///
/// Operators never throw when the pipeline is built: an invalid argument (a batch size of
/// 0, mismatched sample counts) throws when iteration starts, that is before `fit` trains
/// a single step.
///
/// A pass over the pipeline depends only on its stages and an ``IterationContext``
/// (a seed for unseeded random stages and the pass number): the same context always
/// yields the same elements, whatever the timing of a ``prefetch(_:)`` thread. `fit` uses
/// its shuffle seed and the epoch.
public struct Dataset: @unchecked Sendable {
  let node: any DatasetNode
  /// Whether the elements are batches (after ``batch(_:dropRemainder:)``, or a batched
  /// source such as `imageDatasetFromDirectory`).
  public let isBatched: Bool
  /// The class names of a directory or CSV source, in label order (nil otherwise).
  public let classNames: [String]?
  /// The files of a directory source, in their listed (shuffled, split) order, as Keras's
  /// `dataset.file_paths` (nil otherwise).
  public let filePaths: [String]?
  /// Called by `fit` after each epoch (a ``PyDataset``'s `onEpochEnd`).
  let epochEndHook: (() throws -> Void)?
  /// The background threads one pass starts (one per ``prefetch(_:)`` stage and worker
  /// map): `fit` takes their cores from OpenBLAS for its whole run (see
  /// `ComputeThreads`).
  public let workerThreads: Int

  init(
    _ node: any DatasetNode, isBatched: Bool, classNames: [String]? = nil,
    filePaths: [String]? = nil, epochEndHook: (() throws -> Void)? = nil, workerThreads: Int = 0
  ) {
    self.workerThreads = workerThreads
    self.node = node
    self.isBatched = isBatched
    self.classNames = classNames
    self.filePaths = filePaths
    self.epochEndHook = epochEndHook
  }

  /// The same dataset after `node`, keeping the class names and the epoch hook.
  func appending(_ node: any DatasetNode, isBatched: Bool? = nil) -> Dataset {
    Dataset(
      node, isBatched: isBatched ?? self.isBatched, classNames: classNames,
      filePaths: filePaths, epochEndHook: epochEndHook,
      workerThreads: workerThreads + (node is PrefetchNode ? 1 : 0))
  }

  /// The dataset with a stage that throws `message` as an invalid argument when iterated:
  /// how every transformation reports a bad argument, since building a pipeline does not
  /// throw (`tf.data` raises it at the call instead).
  func appendingFailure(_ message: String, isBatched: Bool? = nil) -> Dataset {
    appending(
      FailedNode(SwiftKerasError(.invalidArgument, message), depth: node.depth + 1),
      isBatched: isBatched)
  }

  /// How many elements one pass yields, when known.
  public var cardinality: DatasetCardinality { node.cardinality }

  /// The number of elements of one pass, or nil when unknown or infinite.
  public var count: Int? { node.cardinality.count }

  /// An iterator over pass `pass`; unseeded random stages use `seed`, by default a draw
  /// from the global generator (so `setRandomSeed(_:)` makes runs repeat).
  ///
  /// - Throws: ``SwiftKerasError`` for an invalid stage (a batch size of 0, sample counts
  ///   that differ) or a source that cannot be read.
  public func makeIterator(seed: UInt64? = nil, pass: Int = 0) throws -> DatasetIterator {
    try makeIterator(IterationContext(seed: seed ?? GlobalRandom.next(), pass: pass))
  }

  /// An iterator over one pass in `context`.
  public func makeIterator(_ context: IterationContext) throws -> DatasetIterator {
    try node.iterator(context)
  }

  /// Every element of one pass, in order.
  ///
  /// - Throws: ``SwiftKerasError`` `.invalidArgument` for an infinite dataset, or what
  ///   iterating throws.
  public func elements(seed: UInt64? = nil, pass: Int = 0) throws -> [DatasetElement] {
    if node.cardinality == .infinite {
      throw SwiftKerasError(
        .invalidArgument, "Dataset.elements: the dataset is infinite; take(_:) a part first")
    }
    let iterator = try makeIterator(seed: seed, pass: pass)
    var result: [DatasetElement] = []
    while let element = try iterator.next() { result.append(element) }
    return result
  }

  /// Calls the epoch hook of the source (a ``PyDataset``'s `onEpochEnd`), as `fit` does
  /// after each epoch.
  public func epochEnded() throws { try epochEndHook?() }
}

extension DatasetNode {
  /// An iterator over one pass: by index when the stages allow it (free skipping), else
  /// the stage's own.
  func iterator(_ context: IterationContext) throws -> DatasetIterator {
    if let elements = try randomAccess(context) { return elements.iterator() }
    return try makeIterator(context)
  }
}

/// A stage that only throws: an operator given an invalid argument, reported when
/// iteration starts (building a pipeline never throws).
final class FailedNode: DatasetNode, @unchecked Sendable {
  let error: SwiftKerasError
  let depth: Int
  init(_ error: SwiftKerasError, depth: Int) {
    self.error = error
    self.depth = depth
  }
  var cardinality: DatasetCardinality { .unknown }
  func makeIterator(_ context: IterationContext) throws -> DatasetIterator { throw error }
}
