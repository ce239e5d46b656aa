import Foundation
import SwiftKerasCore

/// `mean((log(max(yPred, ε) + 1) − log(max(yTrue, ε) + 1))², axis: −1)`, as
/// `keras.losses.MeanSquaredLogarithmicError` (identifiers
/// `"mean_squared_logarithmic_error"`, `"msle"`).
public struct MeanSquaredLogarithmicError: Loss {
  /// The Keras name.
  public var name: String
  /// How per-sample values are reduced.
  public var reduction: LossReduction

  /// Creates the loss.
  public init(
    reduction: LossReduction = .sumOverBatchSize, name: String = "mean_squared_logarithmic_error"
  ) {
    self.reduction = reduction
    self.name = name
  }

  /// The squared log-difference averaged over the last axis.
  public func perSample(yTrue: Tensor, yPred: Tensor) -> Tensor {
    let eps = LossKernels.epsilon
    return LossKernels.meanOverLastAxis(yTrue, yPred) { t, p in
      let shiftedPred = Swift.max(p, eps) + 1
      let d = Foundation.log(shiftedPred) - Foundation.log(Swift.max(t, eps) + 1)
      return (d * d, p >= eps ? 2 * d / shiftedPred : 0)
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
