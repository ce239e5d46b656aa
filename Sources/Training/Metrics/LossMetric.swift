import SwiftKerasCore

/// Any ``Loss`` as a metric: the weighted mean of its per-sample values over every batch,
/// as Keras's `MeanMetricWrapper` around a loss function (`keras.metrics.MeanSquaredError`,
/// `keras.metrics.SparseCategoricalCrossentropy`, …).
///
/// ```swift
/// let mse = LossMetric(MeanSquaredError())
/// try mse.update(yTrue: y, yPred: prediction)
/// ```
public final class LossMetric: Metric {
  /// Lower is better.
  public var direction: MetricDirection { .down }

  /// The name the metric is logged under; the loss's name by default.
  public var name: String
  /// The wrapped loss.
  public let loss: any Loss
  var accumulator = MeanAccumulator()

  /// Wraps `loss`; the metric is named `name`, or the loss's name.
  public init(_ loss: any Loss, name: String? = nil) {
    self.loss = loss
    self.name = name ?? loss.name
  }

  /// Accumulates the loss's per-sample values of the batch (masked samples, as with
  /// `ignoreClass`, are left out).
  public func update(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor?) throws {
    let (t, p) = (yTrue.detached, yPred.detached)
    try loss.validate(yTrue: t, yPred: p)
    let (values, mask) = loss.perSampleMasked(yTrue: t, yPred: p)
    var weight = sampleWeight?.detached
    if let mask {
      if let w = weight {
        let (m, aligned) = LossReducer.aligned(mask, w)
        guard Broadcasting.shape(m.shape, aligned.shape) != nil else {
          throw SwiftKerasError(
            .shapeMismatch,
            "\(name): sample_weight of shape \(w.shape) does not fit values of shape \(values.shape)"
          )
        }
        weight = aligned * m
      } else {
        weight = mask
      }
    }
    try accumulator.add(values, sampleWeight: weight, metric: name)
  }

  /// The weighted mean of the per-sample losses so far.
  public func result() -> Float { Float(accumulator.mean) }

  /// Forgets everything accumulated.
  public func reset() { accumulator.reset() }

  /// `{"name", "dtype", "fn"}` with the wrapped loss's config.
  public func getConfig() -> ConfigValue {
    ["name": .string(name), "dtype": "float32", "fn": loss.getConfig()]
  }
}
