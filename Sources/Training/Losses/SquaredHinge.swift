import SwiftKerasCore

/// `mean(max(1 − yTrue · yPred, 0)², axis: −1)`, with 0/1 labels first mapped to −1/1, as
/// `keras.losses.SquaredHinge` (identifier `"squared_hinge"`).
public struct SquaredHinge: Loss {
  /// The Keras name.
  public var name: String
  /// How per-sample values are reduced.
  public var reduction: LossReduction

  /// Creates the loss.
  public init(reduction: LossReduction = .sumOverBatchSize, name: String = "squared_hinge") {
    self.reduction = reduction
    self.name = name
  }

  /// The squared hinge values averaged over the last axis.
  public func perSample(yTrue: Tensor, yPred: Tensor) -> Tensor {
    let binary = LossKernels.labelsAreBinary(yTrue)
    return LossKernels.meanOverLastAxis(yTrue, yPred) { t, p in
      let label = binary ? 2 * t - 1 : t
      let margin = 1 - label * p
      return margin >= 0 ? (margin * margin, -2 * margin * label) : (0, 0)
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
