import SwiftKerasCore

/// The square root of the weighted mean squared error, as
/// `keras.metrics.RootMeanSquaredError` (identifier `"root_mean_squared_error"`).
public final class RootMeanSquaredError: Metric {
  /// Lower is better.
  public var direction: MetricDirection { .down }

  /// The name the metric is logged under.
  public var name: String
  var accumulator = MeanAccumulator()

  /// Creates the metric.
  public init(name: String = "root_mean_squared_error") { self.name = name }

  /// Accumulates the batch's squared errors.
  public func update(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor?) throws {
    try LossReducer.validateBroadcastable(yTrue, yPred, loss: name)
    let (t, p) = LossReducer.aligned(yTrue.detached, yPred.detached)
    let errors = Tensor.broadcastingApply(t, p, op: name) { a, b in (b - a) * (b - a) }
    try accumulator.add(errors, sampleWeight: sampleWeight, metric: name)
  }

  /// `sqrt(mean squared error)` so far.
  public func result() -> Float { Float(accumulator.mean.squareRoot()) }

  /// Forgets everything accumulated.
  public func reset() { accumulator.reset() }
}
