import Foundation

/// Remembers the logits behind recent softmax outputs, so a cross-entropy on those
/// probabilities can be computed from the logits instead — exactly what Keras does on
/// TensorFlow with `_keras_logits`: more accurate (no clipping at 1e-7) and one fused
/// softmax-minus-one-hot gradient instead of a softmax backward.
///
/// Only the last few outputs are held, by identity of their buffer and tape position, so
/// a probability tensor built any other way is never mistaken for one.
package enum SoftmaxOrigin {
  private struct Entry {
    weak var storage: TensorStorage?
    var trace: TapeTrace
    var logits: Tensor
  }

  private static let capacity = 4
  nonisolated(unsafe) private static var entries: [Entry] = []
  private static let lock = NSLock()

  /// Records that `output` is the softmax over the last axis of `logits`.
  static func register(output: Tensor, logits: Tensor) {
    lock.lock()
    defer { lock.unlock() }
    entries.removeAll { $0.storage == nil }
    if entries.count >= capacity { entries.removeFirst() }
    entries.append(Entry(storage: output.storage, trace: output.trace, logits: logits))
  }

  /// The logits whose softmax `probabilities` is, if it is one of the recent outputs.
  package static func logits(of probabilities: Tensor) -> Tensor? {
    lock.lock()
    defer { lock.unlock() }
    for entry in entries.reversed()
    where entry.storage === probabilities.storage
      && entry.trace.tapeID == probabilities.trace.tapeID
      && entry.trace.index == probabilities.trace.index && entry.logits.shape == probabilities.shape
    {
      return entry.logits
    }
    return nil
  }
}
