import SwiftKerasCore
import SwiftKerasLayers
import SwiftKerasTraining

/// The record of a `fit`: each logged metric by epoch, as `keras.callbacks.History`.
///
/// ```swift
/// let history = try model.fit(x: x, y: y, epochs: 5, validationSplit: 0.1)
/// print(history["loss"], history["val_accuracy"])
/// ```
public final class History: Callback {
  /// Metric name → one value per epoch.
  public private(set) var history: OrderedDictionary<String, [Float]> = [:]
  /// The epochs recorded (0-based, as Keras).
  public private(set) var epoch: [Int] = []

  /// Creates an empty history.
  public override init() {}

  /// The values of `key` by epoch (empty when never logged).
  public subscript(key: String) -> [Float] { history[key] ?? [] }

  /// The metric names recorded, sorted.
  public var keys: [String] { Array(history.keys) }

  public override func onTrainBegin(logs: Logs) {
    // As Keras: the epochs restart, the history keeps growing if the object is reused.
    epoch = []
  }

  public override func onEpochEnd(_ epoch: Int, logs: Logs) {
    self.epoch.append(epoch)
    for (key, value) in logs { history[key, default: []].append(value) }
  }
}
