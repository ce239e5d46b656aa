import SwiftKerasCore

/// The weighted mean of the values it is given, as `keras.metrics.Mean`.
///
/// Values of rank > 1 are first averaged per sample; sample weights weight samples.
///
/// ```swift
/// let mean = Mean()
/// try mean.update(Tensor([1, 2, 3]))
/// mean.result()   // 2
/// ```
public final class Mean: Metric {
  /// The name the metric is logged under.
  public var name: String
  var accumulator = MeanAccumulator()

  /// Creates the metric.
  public init(name: String = "mean") { self.name = name }

  /// Accumulates `values`, weighted by `sampleWeight`.
  public func update(_ values: Tensor, sampleWeight: Tensor? = nil) throws {
    try accumulator.add(values, sampleWeight: sampleWeight, metric: name)
  }

  /// Accumulates `yPred` as the values (`yTrue` is ignored), so a `Mean` can sit in a list
  /// of metrics.
  public func update(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor?) throws {
    try update(yPred, sampleWeight: sampleWeight)
  }

  /// The weighted mean so far (0 before any update).
  public func result() -> Float { Float(accumulator.mean) }

  /// Forgets everything accumulated.
  public func reset() { accumulator.reset() }
}
