@_exported import OrderedCollections
import SwiftKerasCore
import SwiftKerasLayers
import SwiftKerasTraining

/// What ``Model/fit(x:y:batchSize:epochs:verbose:callbacks:validationSplit:validationData:shuffle:classWeight:sampleWeight:initialEpoch:stepsPerEpoch:validationFreq:)``
/// and its siblings report to callbacks: metric names to values, in Keras's order (`loss`
/// first, then the metrics as compiled, then the `val_` entries), the same on every run.
public typealias Logs = OrderedDictionary<String, Float>

/// The fit parameters a callback can read, as Keras's `callback.params`.
public struct TrainingParameters: Equatable, Sendable {
  /// The number of epochs `fit` runs to.
  public var epochs: Int
  /// Batches per epoch (nil when unknown).
  public var steps: Int?
  /// The verbosity `fit` was called with.
  public var verbose: Int

  /// Creates parameters.
  public init(epochs: Int, steps: Int?, verbose: Int) {
    self.epochs = epochs
    self.steps = steps
    self.verbose = verbose
  }
}

/// A hook into training, evaluation and prediction, as `keras.callbacks.Callback`.
///
/// Subclass it and override the hooks you need; every hook receives the current logs. A
/// hook may throw: the error ends `fit`, `evaluate` or `predict` and reaches the caller.
/// ``model`` gives access to the model (stop training, read and set the learning rate,
/// get and set weights) and ``params`` to the fit parameters.
///
/// ```swift
/// final class PrintLoss: Callback {
///   override func onEpochEnd(_ epoch: Int, logs: Logs) {
///     print("epoch \(epoch): loss \(logs["loss"] ?? .nan)")
///   }
/// }
/// ```
open class Callback {
  /// The model being trained, set before training starts.
  public weak var model: Model?
  /// The parameters of the current fit.
  public var params = TrainingParameters(epochs: 0, steps: nil, verbose: 0)

  /// Creates a callback.
  public init() {}

  /// Whether only rank 0 runs this callback in data-parallel training (``DataParallel``):
  /// true for those that print or write files (ModelCheckpoint, CSVLogger, TensorBoard,
  /// BackupAndRestore, the progress bar), false for the others, which every rank runs
  /// on the same global logs.
  open var runsOnChiefOnly: Bool { false }

  /// False on the ranks other than 0 of data-parallel training, where a callback that runs
  /// everywhere (EarlyStopping, ReduceLROnPlateau) keeps its messages to itself.
  public package(set) var isOnChiefRank = true

  /// Called by the framework before any hook.
  open func setModel(_ model: Model) { self.model = model }
  /// Called by the framework before any hook.
  open func setParams(_ params: TrainingParameters) { self.params = params }

  open func onTrainBegin(logs: Logs) throws {}
  open func onTrainEnd(logs: Logs) throws {}
  open func onEpochBegin(_ epoch: Int, logs: Logs) throws {}
  open func onEpochEnd(_ epoch: Int, logs: Logs) throws {}
  open func onTrainBatchBegin(_ batch: Int, logs: Logs) throws {}
  open func onTrainBatchEnd(_ batch: Int, logs: Logs) throws {}
  open func onTestBegin(logs: Logs) throws {}
  open func onTestEnd(logs: Logs) throws {}
  open func onTestBatchBegin(_ batch: Int, logs: Logs) throws {}
  open func onTestBatchEnd(_ batch: Int, logs: Logs) throws {}
  open func onPredictBegin(logs: Logs) throws {}
  open func onPredictEnd(logs: Logs) throws {}
  open func onPredictBatchBegin(_ batch: Int, logs: Logs) throws {}
  open func onPredictBatchEnd(_ batch: Int, logs: Logs) throws {}
}

/// The callbacks of one `fit`/`evaluate`/`predict` call, dispatched in order.
public final class CallbackList {
  /// The callbacks, History and the progress bar included.
  public private(set) var callbacks: [Callback]

  /// Creates a list bound to `model` and `params`.
  public init(_ callbacks: [Callback], model: Model, params: TrainingParameters) {
    self.callbacks = callbacks
    for callback in callbacks {
      callback.setModel(model)
      callback.setParams(params)
    }
  }

  public func onTrainBegin(logs: Logs = [:]) throws {
    for callback in callbacks { try callback.onTrainBegin(logs: logs) }
  }
  public func onTrainEnd(logs: Logs = [:]) throws {
    for callback in callbacks { try callback.onTrainEnd(logs: logs) }
  }
  public func onEpochBegin(_ epoch: Int, logs: Logs = [:]) throws {
    for callback in callbacks { try callback.onEpochBegin(epoch, logs: logs) }
  }
  public func onEpochEnd(_ epoch: Int, logs: Logs) throws {
    for callback in callbacks { try callback.onEpochEnd(epoch, logs: logs) }
  }
  public func onTrainBatchBegin(_ batch: Int, logs: Logs = [:]) throws {
    for callback in callbacks { try callback.onTrainBatchBegin(batch, logs: logs) }
  }
  public func onTrainBatchEnd(_ batch: Int, logs: Logs) throws {
    for callback in callbacks { try callback.onTrainBatchEnd(batch, logs: logs) }
  }
  public func onTestBegin(logs: Logs = [:]) throws {
    for callback in callbacks { try callback.onTestBegin(logs: logs) }
  }
  public func onTestEnd(logs: Logs) throws {
    for callback in callbacks { try callback.onTestEnd(logs: logs) }
  }
  public func onTestBatchBegin(_ batch: Int, logs: Logs = [:]) throws {
    for callback in callbacks { try callback.onTestBatchBegin(batch, logs: logs) }
  }
  public func onTestBatchEnd(_ batch: Int, logs: Logs) throws {
    for callback in callbacks { try callback.onTestBatchEnd(batch, logs: logs) }
  }
  public func onPredictBegin(logs: Logs = [:]) throws {
    for callback in callbacks { try callback.onPredictBegin(logs: logs) }
  }
  public func onPredictEnd(logs: Logs = [:]) throws {
    for callback in callbacks { try callback.onPredictEnd(logs: logs) }
  }
  public func onPredictBatchBegin(_ batch: Int, logs: Logs = [:]) throws {
    for callback in callbacks { try callback.onPredictBatchBegin(batch, logs: logs) }
  }
  public func onPredictBatchEnd(_ batch: Int, logs: Logs = [:]) throws {
    for callback in callbacks { try callback.onPredictBatchEnd(batch, logs: logs) }
  }
}
