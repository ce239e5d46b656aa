import SwiftKerasCore

/// The mean of absolute differences over the last axis: `mean(|yTrue − yPred|, axis: −1)`,
/// as `keras.losses.MeanAbsoluteError` (identifiers `"mean_absolute_error"`, `"mae"`).
public struct MeanAbsoluteError: Loss {
  /// The Keras name.
  public var name: String
  /// How per-sample values are reduced.
  public var reduction: LossReduction

  /// Creates the loss.
  public init(reduction: LossReduction = .sumOverBatchSize, name: String = "mean_absolute_error") {
    self.reduction = reduction
    self.name = name
  }

  /// `mean(|yTrue − yPred|, axis: −1)`.
  public func perSample(yTrue: Tensor, yPred: Tensor) -> Tensor {
    LossKernels.meanOverLastAxis(yTrue, yPred) { t, p in
      let d = p - t
      return (Swift.abs(d), d > 0 ? 1 : (d < 0 ? -1 : 0))
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
