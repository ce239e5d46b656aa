import SwiftKerasCore

/// A metric from a closure returning per-sample values: their weighted mean over every
/// batch, as Keras's `MeanMetricWrapper` around a Python function.
///
/// ```swift
/// let within = CustomMetric(name: "within_0_1") { yTrue, yPred in
///   abs(yPred - yTrue) .< 0.1
/// }
/// ```
public final class CustomMetric: Metric {
  /// The name the metric is logged under.
  public var name: String
  /// Computes the per-sample values from `(yTrue, yPred)`.
  public let function: (Tensor, Tensor) -> Tensor
  var accumulator = MeanAccumulator()

  /// Creates a metric from `function(yTrue, yPred)`, which returns per-sample values.
  public init(name: String, _ function: @escaping (_ yTrue: Tensor, _ yPred: Tensor) -> Tensor) {
    self.name = name
    self.function = function
  }

  /// Accumulates the closure's values for the batch.
  public func update(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor?) throws {
    let values = function(yTrue.detached, yPred.detached)
    try accumulator.add(values, sampleWeight: sampleWeight, metric: name)
  }

  /// The weighted mean so far.
  public func result() -> Float { Float(accumulator.mean) }

  /// Forgets everything accumulated.
  public func reset() { accumulator.reset() }
}
