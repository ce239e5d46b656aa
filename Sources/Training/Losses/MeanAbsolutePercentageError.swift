import SwiftKerasCore

/// `100 · mean(|(yTrue − yPred) / max(|yTrue|, ε)|, axis: −1)`, as
/// `keras.losses.MeanAbsolutePercentageError` (identifiers `"mean_absolute_percentage_error"`,
/// `"mape"`).
public struct MeanAbsolutePercentageError: Loss {
  /// The Keras name.
  public var name: String
  /// How per-sample values are reduced.
  public var reduction: LossReduction

  /// Creates the loss.
  public init(
    reduction: LossReduction = .sumOverBatchSize, name: String = "mean_absolute_percentage_error"
  ) {
    self.reduction = reduction
    self.name = name
  }

  /// `100 · mean(|(yTrue − yPred) / max(|yTrue|, ε)|, axis: −1)`.
  public func perSample(yTrue: Tensor, yPred: Tensor) -> Tensor {
    let eps = LossKernels.epsilon
    return LossKernels.meanOverLastAxis(yTrue, yPred) { t, p in
      let scale = 100 / Swift.max(Swift.abs(t), eps)
      let d = p - t
      return (Swift.abs(d) * scale, d > 0 ? scale : (d < 0 ? -scale : 0))
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
