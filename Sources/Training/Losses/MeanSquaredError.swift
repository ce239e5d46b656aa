import SwiftKerasCore

/// The mean of squared differences over the last axis: `mean((yTrue − yPred)², axis: −1)`,
/// as `keras.losses.MeanSquaredError` (identifiers `"mean_squared_error"`, `"mse"`).
public struct MeanSquaredError: Loss {
  /// The Keras name.
  public var name: String
  /// How per-sample values are reduced.
  public var reduction: LossReduction

  /// Creates the loss.
  public init(reduction: LossReduction = .sumOverBatchSize, name: String = "mean_squared_error") {
    self.reduction = reduction
    self.name = name
  }

  /// `mean((yTrue − yPred)², axis: −1)`, one fused pass.
  public func perSample(yTrue: Tensor, yPred: Tensor) -> Tensor {
    LossKernels.meanOverLastAxis(yTrue, yPred) { t, p in
      let d = p - t
      return (d * d, 2 * d)
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
