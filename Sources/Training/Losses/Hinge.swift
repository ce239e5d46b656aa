import SwiftKerasCore

/// What ``Hinge`` computes for each sample.
public enum HingeFormula: LossFormula {
  /// The hinge values averaged over the last axis.
  public static func perSample(yTrue: Tensor, yPred: Tensor) -> Tensor {
    LossKernels.hinge(yTrue, yPred) { margin, label in (margin, -label) }
  }
}

/// `mean(max(1 − yTrue · yPred, 0), axis: −1)`, with 0/1 labels first mapped to −1/1, as
/// `keras.losses.Hinge` (identifier `"hinge"`).
public typealias Hinge = FormulaLoss<HingeFormula>
