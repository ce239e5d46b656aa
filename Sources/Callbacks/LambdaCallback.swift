import SwiftKerasCore
import SwiftKerasModels
import SwiftKerasSaving
import SwiftKerasTraining

/// A callback made of closures, as `keras.callbacks.LambdaCallback`.
///
/// ```swift
/// var losses: [Float] = []
/// let record = LambdaCallback(onEpochEnd: { epoch, logs in losses.append(logs["loss"] ?? .nan) })
/// try model.fit(x: x, y: y, epochs: 3, callbacks: [record])
/// ```
public final class LambdaCallback: Callback {
  /// Called at the start of each epoch.
  public var onEpochBeginHandler: ((Int, Logs) -> Void)?
  /// Called at the end of each epoch.
  public var onEpochEndHandler: ((Int, Logs) -> Void)?
  /// Called at the start of each training batch.
  public var onTrainBatchBeginHandler: ((Int, Logs) -> Void)?
  /// Called at the end of each training batch.
  public var onTrainBatchEndHandler: ((Int, Logs) -> Void)?
  /// Called when training begins.
  public var onTrainBeginHandler: ((Logs) -> Void)?
  /// Called when training ends.
  public var onTrainEndHandler: ((Logs) -> Void)?

  /// Creates the callback from any subset of closures.
  public init(
    onEpochBegin: ((Int, Logs) -> Void)? = nil, onEpochEnd: ((Int, Logs) -> Void)? = nil,
    onTrainBatchBegin: ((Int, Logs) -> Void)? = nil, onTrainBatchEnd: ((Int, Logs) -> Void)? = nil,
    onTrainBegin: ((Logs) -> Void)? = nil, onTrainEnd: ((Logs) -> Void)? = nil
  ) {
    onEpochBeginHandler = onEpochBegin
    onEpochEndHandler = onEpochEnd
    onTrainBatchBeginHandler = onTrainBatchBegin
    onTrainBatchEndHandler = onTrainBatchEnd
    onTrainBeginHandler = onTrainBegin
    onTrainEndHandler = onTrainEnd
  }

  public override func onEpochBegin(_ epoch: Int, logs: Logs) throws {
    onEpochBeginHandler?(epoch, logs)
  }
  public override func onEpochEnd(_ epoch: Int, logs: Logs) throws {
    onEpochEndHandler?(epoch, logs)
  }
  public override func onTrainBatchBegin(_ batch: Int, logs: Logs) throws {
    onTrainBatchBeginHandler?(batch, logs)
  }
  public override func onTrainBatchEnd(_ batch: Int, logs: Logs) throws {
    onTrainBatchEndHandler?(batch, logs)
  }
  public override func onTrainBegin(logs: Logs) throws { onTrainBeginHandler?(logs) }
  public override func onTrainEnd(logs: Logs) throws { onTrainEndHandler?(logs) }
}
