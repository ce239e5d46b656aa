import Foundation
import SwiftKerasCore

/// `mean(log(cosh(yPred − yTrue)), axis: −1)` computed as `x + softplus(−2x) − log 2`, as
/// `keras.losses.LogCosh` (identifiers `"log_cosh"`, `"logcosh"`).
public struct LogCosh: Loss {
  /// The Keras name.
  public var name: String
  /// How per-sample values are reduced.
  public var reduction: LossReduction

  /// Creates the loss.
  public init(reduction: LossReduction = .sumOverBatchSize, name: String = "log_cosh") {
    self.reduction = reduction
    self.name = name
  }

  /// The log-cosh of the error averaged over the last axis.
  public func perSample(yTrue: Tensor, yPred: Tensor) -> Tensor {
    let log2 = Foundation.log(Float(2))
    return LossKernels.meanOverLastAxis(yTrue, yPred) { t, p in
      let x = p - t
      let z = -2 * x
      let softplus = Swift.max(z, 0) + Foundation.log1p(Foundation.exp(-Swift.abs(z)))
      return (x + softplus - log2, Foundation.tanh(x))
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
