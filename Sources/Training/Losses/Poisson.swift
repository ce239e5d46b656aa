import Foundation
import SwiftKerasCore

/// What ``Poisson`` computes for each sample.
public enum PoissonFormula: LossFormula {
  /// The Poisson deviance term averaged over the last axis.
  public static func perSample(yTrue: Tensor, yPred: Tensor) -> Tensor {
    let eps = LossKernels.epsilon
    return LossKernels.meanOverLastAxis(yTrue, yPred) { t, p in
      (p - t * Foundation.log(p + eps), 1 - t / (p + eps))
    }
  }
}

/// `mean(yPred − yTrue · log(yPred + ε), axis: −1)`, as `keras.losses.Poisson`
/// (identifier `"poisson"`).
public typealias Poisson = FormulaLoss<PoissonFormula>
