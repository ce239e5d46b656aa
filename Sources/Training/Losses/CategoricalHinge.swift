import SwiftKerasCore

/// What ``CategoricalHinge`` computes for each sample.
public enum CategoricalHingeFormula: LossFormula {
  /// The categorical hinge of each sample.
  public static func perSample(yTrue: Tensor, yPred: Tensor) -> Tensor {
    let (t, p) = LossReducer.aligned(yTrue.detached, yPred)
    let positive = (t * p).sum(alongAxis: -1)
    let negative = ((1 - t) * p).max(alongAxis: -1)
    return maximum(negative - positive + 1, Float(0))
  }

  /// Throws unless the shapes match after Keras's rank alignment.
  public static func validate(yTrue: Tensor, yPred: Tensor, loss: String) throws {
    try LossReducer.validateSameShape(yTrue, yPred, loss: loss)
  }
}

/// `max(max((1 − yTrue) · yPred) − Σ yTrue · yPred + 1, 0)` over the last axis, as
/// `keras.losses.CategoricalHinge` (identifier `"categorical_hinge"`).
public typealias CategoricalHinge = FormulaLoss<CategoricalHingeFormula>
