import SwiftKerasCore

/// A loss function in the style of `keras.losses.Loss`: per-sample values from
/// `(yTrue, yPred)`, then a weighted reduction to the number training minimises.
///
/// ```swift
/// let loss = SparseCategoricalCrossentropy(fromLogits: true)
/// let value = loss(yTrue: labels, yPred: logits)            // scalar, on the tape
/// let perSample = loss.perSample(yTrue: labels, yPred: logits)
/// try loss.validate(yTrue: labels, yPred: logits)           // throws on bad shapes
/// ```
///
/// Conforming types implement ``perSample(yTrue:yPred:)``, ``validate(yTrue:yPred:)``,
/// ``name``, ``reduction`` and ``getConfig()``; reduction and sample weighting come from
/// the protocol extension. The result is differentiable with respect to `yPred` on the
/// active ``GradientTape``; `yTrue` and sample weights are treated as constants.
public protocol Loss: LossConvertible {
  /// The Keras name, e.g. `"sparse_categorical_crossentropy"`.
  var name: String { get }
  /// How the per-sample values are reduced.
  var reduction: LossReduction { get }

  /// The unreduced values: one per sample (per position for sequence outputs).
  ///
  /// Shapes must fit; call ``validate(yTrue:yPred:)`` first on untrusted input.
  func perSample(yTrue: Tensor, yPred: Tensor) -> Tensor

  /// The per-sample values and, where the loss masks some of them (as
  /// `SparseCategoricalCrossentropy(ignoreClass:)` does), a 0/1 mask of the same shape.
  func perSampleMasked(yTrue: Tensor, yPred: Tensor) -> (values: Tensor, mask: Tensor?)

  /// Throws a `SwiftKerasError` naming both shapes (or the bad value) when `yTrue` and
  /// `yPred` do not fit this loss.
  func validate(yTrue: Tensor, yPred: Tensor) throws

  /// The Keras config (`name`, `reduction` and the loss's own arguments).
  func getConfig() -> ConfigValue

  /// The reduced loss, weighted by `sampleWeight` when given.
  func callAsFunction(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor?) -> Tensor
}

extension Loss {
  /// No mask by default.
  public func perSampleMasked(yTrue: Tensor, yPred: Tensor) -> (values: Tensor, mask: Tensor?) {
    (perSample(yTrue: yTrue, yPred: yPred), nil)
  }

  /// The reduced loss, weighted by `sampleWeight` when given, as Keras's `Loss.__call__`.
  public func callAsFunction(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor?) -> Tensor {
    let (values, mask) = perSampleMasked(yTrue: yTrue, yPred: yPred)
    return LossReducer.reduceWeighted(
      values, sampleWeight: sampleWeight, mask: mask, reduction: reduction)
  }

  /// The reduced loss without sample weights.
  public func callAsFunction(yTrue: Tensor, yPred: Tensor) -> Tensor {
    callAsFunction(yTrue: yTrue, yPred: yPred, sampleWeight: nil)
  }

  /// Validates the inputs (and that `sampleWeight` fits the per-sample values), then
  /// returns the reduced loss: the throwing counterpart of `callAsFunction`.
  public func compute(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor? = nil) throws -> Tensor {
    try validate(yTrue: yTrue, yPred: yPred)
    let (values, mask) = perSampleMasked(yTrue: yTrue, yPred: yPred)
    if let sampleWeight {
      try LossReducer.validateSampleWeight(
        sampleWeight.shape, valuesShape: values.shape, loss: name)
    }
    return LossReducer.reduceWeighted(
      values, sampleWeight: sampleWeight, mask: mask, reduction: reduction)
  }
}

extension Loss {
  /// The reduced loss of an output whose steps carry `outputMask` (`[batch, steps]`, 0 for
  /// padding), as Keras's `Loss.__call__` applies `y_pred._keras_mask`: masked values are
  /// left out, and `sum_over_batch_size` averages over the unmasked ones. Without a mask
  /// (or one that does not fit the per-sample values) it is the loss as usual.
  public func callAsFunction(
    yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor?, outputMask: Tensor?
  ) -> Tensor {
    guard let outputMask else {
      return self(yTrue: yTrue, yPred: yPred, sampleWeight: sampleWeight)
    }
    let (values, lossMask) = perSampleMasked(yTrue: yTrue, yPred: yPred)
    let (_, aligned) = LossReducer.aligned(values, outputMask.detached)
    guard aligned.shape == values.shape else {
      return self(yTrue: yTrue, yPred: yPred, sampleWeight: sampleWeight)
    }
    let mask = lossMask.map { $0.detached * aligned } ?? aligned
    return LossReducer.reduceWeighted(
      values, sampleWeight: sampleWeight, mask: mask, reduction: reduction)
  }
}

extension Loss {
  /// Throws unless `sampleWeight` can weight this loss's per-sample values for `yTrue`
  /// and `yPred` (computed here, off the tape), naming both shapes.
  package func validateSampleWeight(_ sampleWeight: Tensor, yTrue: Tensor, yPred: Tensor) throws {
    let values = perSample(yTrue: yTrue.detached, yPred: yPred.detached)
    try LossReducer.validateSampleWeight(sampleWeight.shape, valuesShape: values.shape, loss: name)
  }
}
