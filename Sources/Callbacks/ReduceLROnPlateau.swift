import SwiftKerasCore
import SwiftKerasModels
import SwiftKerasSaving
import SwiftKerasTraining

/// Reduces the learning rate when a monitored quantity has stopped improving, as
/// `keras.callbacks.ReduceLROnPlateau` (Keras 3 rules, exactly).
///
/// ```swift
/// let reduce = ReduceLROnPlateau(monitor: "val_loss", factor: 0.2, patience: 5, minLR: 1e-4)
/// try model.fit(x: x, y: y, epochs: 50, validationSplit: 0.2, callbacks: [reduce])
/// ```
///
/// At each epoch end: during a cooldown the counter is decremented and ``wait`` reset;
/// an improvement (by more than `minDelta`) records the best and resets ``wait``;
/// otherwise, outside a cooldown, ``wait`` grows and on reaching `patience` the rate is
/// multiplied by `factor` (not below `minLR`, and only while it is above `minLR`), which
/// starts a cooldown of `cooldown` epochs.
///
/// Unlike Keras, the epoch logs are not extended with `learning_rate` (Swift passes logs
/// by value); monitoring `"learning_rate"` still works.
public final class ReduceLROnPlateau: MonitorCallback {
  /// The factor the rate is multiplied by (must be below 1).
  public let factor: Double
  /// Epochs without improvement before the rate is reduced.
  public let patience: Int
  /// 0 silent, 1 prints each reduction.
  public let verbose: Int
  /// Epochs to wait after a reduction before counting again.
  public let cooldown: Int
  /// The lowest learning rate.
  public let minLR: Double
  /// Epochs without improvement (as counted by Keras).
  public private(set) var wait = 0
  /// Epochs of cooldown left.
  public private(set) var cooldownCounter = 0

  /// Creates the callback with Keras's arguments and defaults.
  ///
  /// A `factor` of 1 or more is reported as an error out of `fit` (Keras raises at
  /// construction).
  public init(
    monitor: String = "val_loss", factor: Double = 0.1, patience: Int = 10, verbose: Int = 0,
    mode: MonitorMode = .auto, minDelta: Double = 1e-4, cooldown: Int = 0, minLR: Double = 0
  ) {
    self.factor = factor
    self.patience = patience
    self.verbose = verbose
    self.cooldown = cooldown
    self.minLR = minLR
    super.init(monitor: monitor, mode: mode, minDelta: minDelta)
  }

  /// Whether a cooldown is running.
  public var inCooldown: Bool { cooldownCounter > 0 }

  public override func onTrainBegin(logs: Logs) throws {
    if factor >= 1 {
      throw SwiftKerasError(
        .invalidArgument,
        "ReduceLROnPlateau does not support a factor >= 1.0. Received factor=\(factor)")
    }
    bestValue = nil
    cooldownCounter = 0
    wait = 0
  }

  public override func onEpochEnd(_ epoch: Int, logs: Logs) throws {
    try resolveDirection()
    var logs = logs
    if let optimizer = model?.optimizer { logs["learning_rate"] = optimizer.learningRate }
    guard let current = monitorValue(logs, what: "Learning rate reduction") else { return }
    if inCooldown {
      cooldownCounter -= 1
      wait = 0
    }
    if isImprovement(current, over: bestValue) {
      bestValue = current
      wait = 0
    } else if !inCooldown {
      wait += 1
      if wait >= patience, reduceLearningRate(epoch: epoch) {
        cooldownCounter = cooldown
        wait = 0
      }
    }
  }

  private func reduceLearningRate(epoch: Int) -> Bool {
    guard let optimizer = model?.optimizer else { return false }
    let old = Double(optimizer.learningRate)
    guard old > Double(Float(minLR)) else { return false }
    let new = max(old * factor, minLR)
    optimizer.learningRate = Float(new)
    if verbose > 0 && isOnChiefRank {
      log("\nEpoch \(epoch + 1): ReduceLROnPlateau reducing learning rate to \(new).")
    }
    return true
  }
}
