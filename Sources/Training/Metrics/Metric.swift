import SwiftKerasCore

/// A stateful metric in the style of `keras.metrics.Metric`: accumulate with
/// ``update(yTrue:yPred:sampleWeight:)`` batch after batch, read ``result()``, start over
/// with ``reset()``.
///
/// ```swift
/// let accuracy = SparseCategoricalAccuracy()
/// try accuracy.update(yTrue: labels, yPred: probabilities)
/// print(accuracy.name, accuracy.result())
/// ```
///
/// Metrics read their inputs detached: nothing they compute is recorded on a tape.
/// `name` is settable because Keras logs a metric under the identifier it was compiled
/// with (`"accuracy"` for a resolved `SparseCategoricalAccuracy`).
public protocol Metric: AnyObject, MetricConvertible {
  /// The name the metric is logged under.
  var name: String { get set }

  /// Accumulates one batch, weighting samples by `sampleWeight` when given.
  ///
  /// - Throws: `SwiftKerasError` naming the shapes when the inputs do not fit.
  func update(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor?) throws

  /// The metric over everything accumulated since the last reset.
  func result() -> Float

  /// The result as a vector, for metrics that have one value per threshold or class
  /// (`Precision` with several thresholds, `F1Score` with `average: nil`); one element
  /// otherwise.
  func resultValues() -> [Float]

  /// Forgets everything accumulated.
  func reset()

  /// The Keras config (`name`, `dtype` and the metric's own arguments).
  func getConfig() -> ConfigValue

  /// Whether higher values are better (Keras's `_direction`), which monitoring
  /// callbacks use in `mode: .auto`.
  var direction: MetricDirection { get }
}

/// Which way a metric improves, as Keras's `Metric._direction`.
public enum MetricDirection: Sendable {
  /// Higher is better (accuracy, AUC, precision, recall, F-scores, R²).
  case up
  /// Lower is better (errors, cross-entropies, every loss).
  case down
  /// Not known (a plain ``Mean``, a custom metric).
  case unknown
}

extension Metric {
  /// Accumulates one batch without sample weights.
  public func update(yTrue: Tensor, yPred: Tensor) throws {
    try update(yTrue: yTrue, yPred: yPred, sampleWeight: nil)
  }

  /// One value: ``result()``.
  public func resultValues() -> [Float] { [result()] }

  /// `{"name", "dtype"}`.
  public func getConfig() -> ConfigValue { ["name": .string(name), "dtype": "float32"] }

  /// Not known, unless the metric says otherwise.
  public var direction: MetricDirection { .unknown }
}

extension Metric {
  /// The mean of ``resultValues()`` (0 when there are none): the single result of a metric
  /// with one value per class or output, as Keras's `F1Score` and `R2Score` report it.
  func meanOfResultValues() -> Float {
    let values = resultValues()
    return values.isEmpty ? 0 : values.reduce(0, +) / Float(values.count)
  }
}
