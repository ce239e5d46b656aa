import Foundation
import SwiftKerasCore

/// What ``KLDivergence`` computes for each sample.
public enum KLDivergenceFormula: LossFormula {
  /// The divergence summed over the last axis.
  public static func perSample(yTrue: Tensor, yPred: Tensor) -> Tensor {
    let eps = LossKernels.epsilon
    let (t, p) = LossReducer.aligned(yTrue, yPred)
    let values = LossKernels.elementwise(t, p) { t, p in
      let tc = Swift.min(Swift.max(t, eps), 1)
      let pc = Swift.min(Swift.max(p, eps), 1)
      return (tc * Foundation.log(tc / pc), (p >= eps && p <= 1) ? -tc / pc : 0)
    }
    return values.rank == 0 ? values : values.sum(alongAxis: -1)
  }
}

/// The Kullback–Leibler divergence `Σ yTrue · log(yTrue / yPred)` over the last axis, both
/// clipped to `[ε, 1]`, as `keras.losses.KLDivergence` (identifiers `"kl_divergence"`,
/// `"kld"`, `"kullback_leibler_divergence"`).
public typealias KLDivergence = FormulaLoss<KLDivergenceFormula>
