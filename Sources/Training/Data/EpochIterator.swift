import SwiftKerasCore
import SwiftKerasDatasets

/// Hands out the batches of training epoch by epoch, as Keras 3's `EpochIterator`: it owns
/// the validation split, the batch size, the steps per epoch and the shuffling, so the
/// training loop only asks for the next batch. `fit` reads it, or a ``Dataset``'s passes,
/// through one epoch loop (`EpochBatches` in SwiftKerasModels).
///
/// Shuffling is reproducible: each reshuffle's order derives from `seed`, the epoch and
/// the reshuffles already done in that epoch, so a run resumed at an epoch with the same
/// seed sees exactly the batches of the original.
///
/// ```swift
/// var batches = try EpochIterator(data: data, batchSize: 32, shuffle: true, seed: 7)
/// for epoch in 0..<3 {
///   batches.beginEpoch(epoch)
///   for _ in 0..<batches.stepsPerEpoch { let batch = try batches.next() }
/// }
/// ```
public struct EpochIterator {
  /// The samples trained on (after the validation split).
  public private(set) var data: TrainingBatch
  /// The samples held out by `validationSplit`, if any.
  public let validationData: TrainingBatch?
  /// Samples per batch; the last batch of a pass may be smaller.
  public let batchSize: Int
  /// Whether each pass visits the samples in a new random order.
  public let shuffle: Bool
  /// Batches per epoch: the given `stepsPerEpoch`, else one pass over the data.
  public let stepsPerEpoch: Int
  /// The seed every shuffled order derives from (settable before the first batch, e.g. to
  /// resume a run).
  public var seed: UInt64
  private let continuesAcrossEpochs: Bool
  private var order: [Int]
  private var cursor: Int
  private var epoch = 0
  private var shufflesThisEpoch: UInt64 = 0

  /// An iterator over `data`, holding out its last `validationSplit` fraction first.
  ///
  /// - Throws: ``SwiftKerasError`` for a batch size or step count that is not positive, a
  ///   split outside [0, 1), or a split that leaves no training samples.
  public init(
    data: TrainingBatch, batchSize: Int, shuffle: Bool, stepsPerEpoch: Int? = nil,
    validationSplit: Double = 0, seed: UInt64 = 0
  ) throws {
    guard batchSize > 0 else {
      throw SwiftKerasError(.invalidArgument, "batchSize must be positive, got \(batchSize)")
    }
    guard validationSplit >= 0 && validationSplit < 1 else {
      throw SwiftKerasError(
        .invalidArgument, "validationSplit must be in [0, 1), got \(validationSplit)")
    }
    if let stepsPerEpoch, stepsPerEpoch <= 0 {
      throw SwiftKerasError(
        .invalidArgument, "stepsPerEpoch must be positive, got \(stepsPerEpoch)")
    }
    var training = data
    var validation: TrainingBatch?
    if validationSplit > 0 {
      let parts = data.split(validationFraction: validationSplit)
      guard parts.train.count > 0 else {
        throw SwiftKerasError(
          .invalidArgument,
          "validationSplit \(validationSplit) leaves no training samples out of \(data.count)")
      }
      (training, validation) = (parts.train, parts.validation)
    }
    self.data = training
    validationData = validation
    self.batchSize = batchSize
    self.shuffle = shuffle
    self.seed = seed
    let n = training.count
    self.stepsPerEpoch = stepsPerEpoch ?? n / batchSize + (n % batchSize == 0 ? 0 : 1)
    continuesAcrossEpochs = stepsPerEpoch != nil
    order = Array(0..<n)
    cursor = n  // the first batch starts a (shuffled) pass
  }

  /// Multiplies `weights` (one per training sample) into the training samples' weights,
  /// as `classWeight` does; the held-out validation samples keep theirs.
  public mutating func weightSamples(_ weights: Tensor) {
    data.sampleWeight = data.sampleWeight.map { $0 * weights } ?? weights
  }

  /// Starts epoch `epoch`: without `stepsPerEpoch` every epoch is one fresh pass; with it,
  /// an epoch continues where the last one stopped, as Keras does.
  public mutating func beginEpoch(_ epoch: Int) {
    self.epoch = epoch
    shufflesThisEpoch = 0
    if !continuesAcrossEpochs { cursor = data.count }
  }

  /// The next batch, starting a new pass over the data when the current one is done.
  public mutating func next() throws -> TrainingBatch {
    let n = data.count
    if cursor >= n {
      if shuffle {
        var generator = RandomGenerator(
          seed: seed ^ (UInt64(epoch) &* 0xD1B5_4A32_D192_ED03)
            ^ (shufflesThisEpoch &* 0x8CB9_2BA7_2F3D_8DD7))
        order =
          try BatchSequence(count: n, batchSize: batchSize, shuffle: true, generator: &generator)
          .order ?? Array(0..<n)
        shufflesThisEpoch += 1
      }
      cursor = 0
    }
    let end = cursor + min(batchSize, n - cursor)
    let batch = shuffle ? data.gather(Array(order[cursor..<end])) : data.slice(cursor..<end)
    cursor = end
    return batch
  }

  /// The sample ranges of one pass over `count` samples in order, for evaluation and
  /// prediction (each batch is sliced when its step runs, so no pass is held at once).
  public static func batchRanges(count: Int, batchSize: Int) throws -> [Range<Int>] {
    guard batchSize > 0 else {
      throw SwiftKerasError(.invalidArgument, "batchSize must be positive, got \(batchSize)")
    }
    return stride(from: 0, to: count, by: batchSize).map { $0..<$0 + min(batchSize, count - $0) }
  }

}
