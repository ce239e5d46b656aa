import SwiftKerasCore
import SwiftKerasModels
import SwiftKerasSaving
import SwiftKerasTraining

/// Ends training when a batch's loss is NaN or infinite, as
/// `keras.callbacks.TerminateOnNaN`.
///
/// By default training stops gracefully (``Model/stopTraining``, so every callback's
/// `onTrainEnd` still runs); with `raiseError: true`, `fit` throws a
/// ``SwiftKerasError`` right after the batch, skipping `onTrainEnd`.
///
/// ```swift
/// try model.fit(x: x, y: y, epochs: 10, callbacks: [TerminateOnNaN()])
/// ```
public final class TerminateOnNaN: Callback {
  /// Whether to throw out of `fit` instead of stopping gracefully.
  public let raiseError: Bool
  /// Where the graceful-stop message goes: standard output by default.
  public var log: (String) -> Void = { print($0) }

  /// Creates the callback.
  public init(raiseError: Bool = false) { self.raiseError = raiseError }

  public override func onTrainBatchEnd(_ batch: Int, logs: Logs) throws {
    guard let loss = logs["loss"], loss.isNaN || loss.isInfinite else { return }
    if raiseError {
      throw SwiftKerasError(
        .invalidData,
        "NaN or Inf loss encountered at batch \(batch). Loss value: \(loss). Terminating training immediately."
      )
    } else {
      if isOnChiefRank { log("Batch \(batch): Invalid loss, terminating training") }
      model?.stopTraining = true
    }
  }
}
