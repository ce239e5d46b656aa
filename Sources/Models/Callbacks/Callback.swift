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
/// Subclass it and override the hooks you need; every hook receives the current logs.
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

  /// Called by the framework before any hook.
  open func setModel(_ model: Model) { self.model = model }
  /// Called by the framework before any hook.
  open func setParams(_ params: TrainingParameters) { self.params = params }

  open func onTrainBegin(logs: Logs) {}
  open func onTrainEnd(logs: Logs) {}
  open func onEpochBegin(_ epoch: Int, logs: Logs) {}
  open func onEpochEnd(_ epoch: Int, logs: Logs) {}
  open func onTrainBatchBegin(_ batch: Int, logs: Logs) {}
  open func onTrainBatchEnd(_ batch: Int, logs: Logs) {}
  open func onTestBegin(logs: Logs) {}
  open func onTestEnd(logs: Logs) {}
  open func onTestBatchBegin(_ batch: Int, logs: Logs) {}
  open func onTestBatchEnd(_ batch: Int, logs: Logs) {}
  open func onPredictBegin(logs: Logs) {}
  open func onPredictEnd(logs: Logs) {}
  open func onPredictBatchBegin(_ batch: Int, logs: Logs) {}
  open func onPredictBatchEnd(_ batch: Int, logs: Logs) {}

  /// Errors a callback wants to raise out of `fit` (e.g. TerminateOnNaN with raiseError).
  public var pendingError: Error?
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

  /// Throws the first error a callback left pending.
  public func throwPendingError() throws {
    for callback in callbacks {
      if let error = callback.pendingError {
        callback.pendingError = nil
        throw error
      }
    }
  }

  public func onTrainBegin(logs: Logs = [:]) { callbacks.forEach { $0.onTrainBegin(logs: logs) } }
  public func onTrainEnd(logs: Logs = [:]) { callbacks.forEach { $0.onTrainEnd(logs: logs) } }
  public func onEpochBegin(_ epoch: Int, logs: Logs = [:]) {
    callbacks.forEach { $0.onEpochBegin(epoch, logs: logs) }
  }
  public func onEpochEnd(_ epoch: Int, logs: Logs) {
    callbacks.forEach { $0.onEpochEnd(epoch, logs: logs) }
  }
  public func onTrainBatchBegin(_ batch: Int, logs: Logs = [:]) {
    callbacks.forEach { $0.onTrainBatchBegin(batch, logs: logs) }
  }
  public func onTrainBatchEnd(_ batch: Int, logs: Logs) {
    callbacks.forEach { $0.onTrainBatchEnd(batch, logs: logs) }
  }
  public func onTestBegin(logs: Logs = [:]) { callbacks.forEach { $0.onTestBegin(logs: logs) } }
  public func onTestEnd(logs: Logs) { callbacks.forEach { $0.onTestEnd(logs: logs) } }
  public func onTestBatchBegin(_ batch: Int, logs: Logs = [:]) {
    callbacks.forEach { $0.onTestBatchBegin(batch, logs: logs) }
  }
  public func onTestBatchEnd(_ batch: Int, logs: Logs) {
    callbacks.forEach { $0.onTestBatchEnd(batch, logs: logs) }
  }
  public func onPredictBegin(logs: Logs = [:]) {
    callbacks.forEach { $0.onPredictBegin(logs: logs) }
  }
  public func onPredictEnd(logs: Logs = [:]) { callbacks.forEach { $0.onPredictEnd(logs: logs) } }
  public func onPredictBatchBegin(_ batch: Int, logs: Logs = [:]) {
    callbacks.forEach { $0.onPredictBatchBegin(batch, logs: logs) }
  }
  public func onPredictBatchEnd(_ batch: Int, logs: Logs = [:]) {
    callbacks.forEach { $0.onPredictBatchEnd(batch, logs: logs) }
  }
}
