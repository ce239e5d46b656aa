import Foundation
import SwiftKerasCore

/// The Kullback–Leibler divergence `Σ yTrue · log(yTrue / yPred)` over the last axis, both
/// clipped to `[ε, 1]`, as `keras.losses.KLDivergence` (identifiers `"kl_divergence"`,
/// `"kld"`, `"kullback_leibler_divergence"`).
public struct KLDivergence: Loss {
  /// The Keras name.
  public var name: String
  /// How per-sample values are reduced.
  public var reduction: LossReduction

  /// Creates the loss.
  public init(reduction: LossReduction = .sumOverBatchSize, name: String = "kl_divergence") {
    self.reduction = reduction
    self.name = name
  }

  /// The divergence summed over the last axis.
  public func perSample(yTrue: Tensor, yPred: Tensor) -> Tensor {
    let eps = LossKernels.epsilon
    let (t, p) = LossReducer.aligned(yTrue, yPred)
    let values = LossKernels.elementwise(t, p) { t, p in
      let tc = Swift.min(Swift.max(t, eps), 1)
      let pc = Swift.min(Swift.max(p, eps), 1)
      return (tc * Foundation.log(tc / pc), (p >= eps && p <= 1) ? -tc / pc : 0)
    }
    return values.rank == 0 ? values : values.sum(alongAxis: -1)
  }

  /// Throws unless the shapes broadcast after Keras's rank alignment.
  public func validate(yTrue: Tensor, yPred: Tensor) throws {
    try LossReducer.validateBroadcastable(yTrue, yPred, loss: name)
  }

  /// `{"name", "reduction"}`.
  public func getConfig() -> ConfigValue {
    .object(LossKernels.baseConfig(name: name, reduction: reduction))
  }
}
