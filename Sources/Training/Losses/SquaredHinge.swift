import SwiftKerasCore

/// What ``SquaredHinge`` computes for each sample.
public enum SquaredHingeFormula: LossFormula {
  /// The squared hinge values averaged over the last axis.
  public static func perSample(yTrue: Tensor, yPred: Tensor) -> Tensor {
    LossKernels.hinge(yTrue, yPred) { margin, label in (margin * margin, -2 * margin * label) }
  }
}

/// `mean(max(1 − yTrue · yPred, 0)², axis: −1)`, with 0/1 labels first mapped to −1/1, as
/// `keras.losses.SquaredHinge` (identifier `"squared_hinge"`).
public typealias SquaredHinge = FormulaLoss<SquaredHingeFormula>
