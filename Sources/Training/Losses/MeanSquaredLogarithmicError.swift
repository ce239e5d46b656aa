import Foundation
import SwiftKerasCore

/// What ``MeanSquaredLogarithmicError`` computes for each sample.
public enum MeanSquaredLogarithmicErrorFormula: LossFormula {
  /// The squared log-difference averaged over the last axis.
  public static func perSample(yTrue: Tensor, yPred: Tensor) -> Tensor {
    let eps = LossKernels.epsilon
    return LossKernels.meanOverLastAxis(yTrue, yPred) { t, p in
      let shiftedPred = Swift.max(p, eps) + 1
      let d = Foundation.log(shiftedPred) - Foundation.log(Swift.max(t, eps) + 1)
      return (d * d, p >= eps ? 2 * d / shiftedPred : 0)
    }
  }
}

/// `mean((log(max(yPred, ε) + 1) − log(max(yTrue, ε) + 1))², axis: −1)`, as
/// `keras.losses.MeanSquaredLogarithmicError` (identifiers
/// `"mean_squared_logarithmic_error"`, `"msle"`).
public typealias MeanSquaredLogarithmicError = FormulaLoss<MeanSquaredLogarithmicErrorFormula>
