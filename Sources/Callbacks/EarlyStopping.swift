import SwiftKerasCore
import SwiftKerasModels
import SwiftKerasSaving
import SwiftKerasTraining

/// Stops training when a monitored quantity has stopped improving, as
/// `keras.callbacks.EarlyStopping` (Keras 3 rules, exactly).
///
/// ```swift
/// let stop = EarlyStopping(monitor: "val_loss", patience: 3, restoreBestWeights: true)
/// try model.fit(x: x, y: y, epochs: 100, validationSplit: 0.2, callbacks: [stop])
/// print(stop.stoppedEpoch, stop.bestEpoch)
/// ```
///
/// At each epoch end (from `startFromEpoch` on, and when the monitored key is logged)
/// ``wait`` is incremented; an improvement over ``MonitorCallback/best`` (by more than
/// `minDelta`) records the epoch and resets ``wait`` to 0 — unless a `baseline` is given
/// and not beaten. Training stops when ``wait`` reaches `patience` (never at epoch 0).
/// With `restoreBestWeights`, the weights of the best epoch are put back when training
/// ends, whether it stopped early or not.
public final class EarlyStopping: MonitorCallback {
  /// Epochs without improvement after which training stops.
  public let patience: Int
  /// 0 silent, 1 prints the stopping and restoring messages.
  public let verbose: Int
  /// A value the monitored quantity must beat for ``wait`` to reset.
  public let baseline: Double?
  /// Whether to restore the weights of the best epoch at the end of training.
  public let restoreBestWeights: Bool
  /// Epochs to wait before monitoring starts (warm-up).
  public let startFromEpoch: Int

  /// Epochs since the last improvement (as counted by Keras).
  public private(set) var wait = 0
  /// The epoch training was stopped at (0 when it was not stopped).
  public private(set) var stoppedEpoch = 0
  /// The epoch of the best monitored value.
  public private(set) var bestEpoch = 0
  /// The weights held from the best epoch (with `restoreBestWeights`).
  public private(set) var bestWeights: [Tensor]?

  /// Creates the callback with Keras's arguments and defaults.
  public init(
    monitor: String = "val_loss", minDelta: Double = 0, patience: Int = 0, verbose: Int = 0,
    mode: MonitorMode = .auto, baseline: Double? = nil, restoreBestWeights: Bool = false,
    startFromEpoch: Int = 0
  ) {
    self.patience = patience
    self.verbose = verbose
    self.baseline = baseline
    self.restoreBestWeights = restoreBestWeights
    self.startFromEpoch = startFromEpoch
    super.init(monitor: monitor, mode: mode, minDelta: minDelta, baseline: baseline)
  }

  public override func onTrainBegin(logs: Logs) throws {
    // Allows the callback to be reused across fits, as Keras.
    wait = 0
    stoppedEpoch = 0
    bestValue = nil
    bestWeights = nil
    bestEpoch = 0
  }

  public override func onEpochEnd(_ epoch: Int, logs: Logs) throws {
    try resolveDirection()
    guard let current = monitorValue(logs, what: "Early stopping"), epoch >= startFromEpoch else {
      return
    }
    if restoreBestWeights && bestWeights == nil {
      // Never set: the current weights are the best so far.
      bestWeights = model?.getWeights()
      bestEpoch = epoch
    }
    wait += 1
    if isImprovement(current, over: bestValue) {
      bestValue = current
      bestEpoch = epoch
      if restoreBestWeights { bestWeights = model?.getWeights() }
      // Only restart the wait when both the baseline and the previous best are beaten.
      if baseline == nil || isImprovement(current, over: baseline) { wait = 0 }
      return
    }
    if wait >= patience && epoch > 0 {
      stoppedEpoch = epoch
      model?.stopTraining = true
    }
  }

  public override func onTrainEnd(logs: Logs) throws {
    if stoppedEpoch > 0 && verbose > 0 && isOnChiefRank {
      log("Epoch \(stoppedEpoch + 1): early stopping")
    }
    if restoreBestWeights, let bestWeights, let model {
      if verbose > 0 && isOnChiefRank {
        log("Restoring model weights from the end of the best epoch: \(bestEpoch + 1).")
      }
      do {
        try model.setWeights(bestWeights)
      } catch {
        throw error
      }
    }
  }
}
