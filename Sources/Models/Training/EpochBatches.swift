import SwiftKerasCore
import SwiftKerasTraining

/// Where `fit`'s epoch loop reads its training batches: tensors through an
/// ``EpochIterator`` or a ``Dataset``.
struct EpochBatches {
  /// Batches per epoch, when known (for the progress bar and the loop's end).
  var stepsPerEpoch: Int?
  /// Starts epoch `epoch` at its first batch.
  var beginEpoch: (_ epoch: Int) throws -> Void
  /// Starts epoch `epoch` after its first `step` batches, reading them again (in the same
  /// order) without training: how a run interrupted inside an epoch resumes bit for bit.
  var resume: (_ epoch: Int, _ step: Int) throws -> Void
  /// The next batch of the epoch; nil when the data ran out.
  var next: () throws -> TrainingBatch?
  /// Receives the fit's shuffle seed before the first epoch (after the callbacks'
  /// `onTrainBegin`, which may restore it).
  var useSeed: (UInt64) -> Void
}

extension EpochBatches {
  /// The batches of an ``EpochIterator`` over tensors, from `initialEpoch` on.
  static func tensors(_ iterator: EpochIterator, initialEpoch: Int, continuesAcrossEpochs: Bool)
    -> EpochBatches
  {
    let box = IteratorBox(iterator)
    return EpochBatches(
      stepsPerEpoch: iterator.stepsPerEpoch,
      beginEpoch: { box.iterator.beginEpoch($0) },
      resume: { epoch, step in
        // An iterator that runs on across epochs is where all earlier epochs left it.
        let first = continuesAcrossEpochs ? initialEpoch : epoch
        for earlier in first..<epoch {
          box.iterator.beginEpoch(earlier)
          for _ in 0..<box.iterator.stepsPerEpoch { _ = try box.iterator.next() }
        }
        box.iterator.beginEpoch(epoch)
        for _ in 0..<step { _ = try box.iterator.next() }
      },
      next: { try box.iterator.next() },
      useSeed: { box.iterator.seed = $0 })
  }
}

/// The mutable iterator the closures of ``EpochBatches`` share.
private final class IteratorBox {
  var iterator: EpochIterator
  init(_ iterator: EpochIterator) { self.iterator = iterator }
}
