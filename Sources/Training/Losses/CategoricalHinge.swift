import SwiftKerasCore

/// `max(max((1 − yTrue) · yPred) − Σ yTrue · yPred + 1, 0)` over the last axis, as
/// `keras.losses.CategoricalHinge` (identifier `"categorical_hinge"`).
public struct CategoricalHinge: Loss {
  /// The Keras name.
  public var name: String
  /// How per-sample values are reduced.
  public var reduction: LossReduction

  /// Creates the loss.
  public init(reduction: LossReduction = .sumOverBatchSize, name: String = "categorical_hinge") {
    self.reduction = reduction
    self.name = name
  }

  /// The categorical hinge of each sample.
  public func perSample(yTrue: Tensor, yPred: Tensor) -> Tensor {
    let (t, p) = LossReducer.aligned(yTrue.detached, yPred)
    let positive = (t * p).sum(alongAxis: -1)
    let negative = ((1 - t) * p).max(alongAxis: -1)
    return maximum(negative - positive + 1, Float(0))
  }

  /// Throws unless the shapes match after Keras's rank alignment.
  public func validate(yTrue: Tensor, yPred: Tensor) throws {
    try LossReducer.validateSameShape(yTrue, yPred, loss: name)
  }

  /// `{"name", "reduction"}`.
  public func getConfig() -> ConfigValue {
    .object(LossKernels.baseConfig(name: name, reduction: reduction))
  }
}
