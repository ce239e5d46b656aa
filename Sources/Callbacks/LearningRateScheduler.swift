import SwiftKerasCore
import SwiftKerasModels
import SwiftKerasSaving
import SwiftKerasTraining

/// Sets the learning rate at the start of each epoch from a schedule of the epoch
/// (0-based) and the current rate, as `keras.callbacks.LearningRateScheduler`.
///
/// ```swift
/// let scheduler = LearningRateScheduler { epoch, rate in epoch < 10 ? rate : rate * 0.9 }
/// try model.fit(x: x, y: y, epochs: 20, callbacks: [scheduler])
/// ```
public final class LearningRateScheduler: Callback {
  /// The schedule: (epoch, current rate) → new rate.
  public let schedule: (Int, Float) -> Float
  /// 0 silent, 1 prints each new rate.
  public let verbose: Int
  /// Where verbose messages go: standard output by default.
  public var log: (String) -> Void = { print($0) }

  /// Creates the scheduler.
  public init(verbose: Int = 0, _ schedule: @escaping (Int, Float) -> Float) {
    self.schedule = schedule
    self.verbose = verbose
  }

  public override func onEpochBegin(_ epoch: Int, logs: Logs) throws {
    guard let optimizer = model?.optimizer else {
      throw SwiftKerasError(
        .invalidState, "LearningRateScheduler: the model has no optimizer (compile it first)")
      return
    }
    let rate = schedule(epoch, optimizer.learningRate)
    guard rate.isFinite else {
      throw SwiftKerasError(
        .invalidArgument,
        "LearningRateScheduler: the schedule returned \(rate) for epoch \(epoch); expected a finite rate"
      )
      return
    }
    optimizer.learningRate = rate
    if verbose > 0 && isOnChiefRank {
      log("\nEpoch \(epoch + 1): LearningRateScheduler setting learning rate to \(Double(rate)).")
    }
  }
}
