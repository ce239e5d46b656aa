import SwiftKerasCore

/// A loss from a closure returning per-sample values, as a plain Python loss function
/// passed to Keras's `compile`.
///
/// ```swift
/// let loss = CustomLoss(name: "my_loss") { yTrue, yPred in
///   abs(yPred - yTrue).mean(alongAxis: -1)
/// }
/// ```
///
/// The closure is written with differentiable tensor ops, so gradients come from the tape.
public struct CustomLoss: Loss {
  /// The name the loss is logged under.
  public var name: String
  /// How per-sample values are reduced.
  public var reduction: LossReduction
  /// Computes the per-sample values.
  public let function: (Tensor, Tensor) -> Tensor

  /// Creates a loss from `function(yTrue, yPred)`, which returns per-sample values.
  public init(
    name: String, reduction: LossReduction = .sumOverBatchSize,
    _ function: @escaping (_ yTrue: Tensor, _ yPred: Tensor) -> Tensor
  ) {
    self.name = name
    self.reduction = reduction
    self.function = function
  }

  /// The closure's per-sample values, after Keras's rank alignment of the inputs.
  public func perSample(yTrue: Tensor, yPred: Tensor) -> Tensor {
    let (t, p) = LossReducer.aligned(yTrue, yPred)
    return function(t, p)
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
