import Foundation
import SwiftKerasCore

/// `mean(yPred − yTrue · log(yPred + ε), axis: −1)`, as `keras.losses.Poisson`
/// (identifier `"poisson"`).
public struct Poisson: Loss {
  /// The Keras name.
  public var name: String
  /// How per-sample values are reduced.
  public var reduction: LossReduction

  /// Creates the loss.
  public init(reduction: LossReduction = .sumOverBatchSize, name: String = "poisson") {
    self.reduction = reduction
    self.name = name
  }

  /// The Poisson deviance term averaged over the last axis.
  public func perSample(yTrue: Tensor, yPred: Tensor) -> Tensor {
    let eps = LossKernels.epsilon
    return LossKernels.meanOverLastAxis(yTrue, yPred) { t, p in
      (p - t * Foundation.log(p + eps), 1 - t / (p + eps))
    }
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
