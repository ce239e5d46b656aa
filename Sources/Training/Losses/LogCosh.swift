import Foundation
import SwiftKerasCore

/// What ``LogCosh`` computes for each sample.
public enum LogCoshFormula: LossFormula {
  /// The log-cosh of the error averaged over the last axis.
  public static func perSample(yTrue: Tensor, yPred: Tensor) -> Tensor {
    let log2 = Foundation.log(Float(2))
    return LossKernels.meanOverLastAxis(yTrue, yPred) { t, p in
      let x = p - t
      let z = -2 * x
      let softplus = Swift.max(z, 0) + Foundation.log1p(Foundation.exp(-Swift.abs(z)))
      return (x + softplus - log2, Foundation.tanh(x))
    }
  }
}

/// `mean(log(cosh(yPred − yTrue)), axis: −1)` computed as `x + softplus(−2x) − log 2`, as
/// `keras.losses.LogCosh` (identifiers `"log_cosh"`, `"logcosh"`).
public typealias LogCosh = FormulaLoss<LogCoshFormula>
