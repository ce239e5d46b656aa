import SwiftKerasCore

/// A loss given by a ``LossFormula`` plus Keras's `name` and `reduction` arguments: the type
/// behind ``MeanSquaredError``, ``MeanAbsoluteError``, ``Hinge``, ``KLDivergence`` and the
/// other losses without arguments of their own.
///
/// ```swift
/// let loss = MeanSquaredError(reduction: .sum)   // FormulaLoss<MeanSquaredErrorFormula>
/// ```
public struct FormulaLoss<Formula: LossFormula>: Loss {
  /// The Keras name.
  public var name: String
  /// How per-sample values are reduced.
  public var reduction: LossReduction

  /// Creates the loss.
  public init(reduction: LossReduction = .sumOverBatchSize, name: String = Formula.defaultName) {
    self.reduction = reduction
    self.name = name
  }

  /// The formula's per-sample values.
  public func perSample(yTrue: Tensor, yPred: Tensor) -> Tensor {
    Formula.perSample(yTrue: yTrue, yPred: yPred)
  }

  /// Throws when the formula rejects the shapes.
  public func validate(yTrue: Tensor, yPred: Tensor) throws {
    try Formula.validate(yTrue: yTrue, yPred: yPred, loss: name)
  }

  /// `{"name", "reduction"}`.
  public func getConfig() -> ConfigValue {
    .object(LossKernels.baseConfig(name: name, reduction: reduction))
  }
}
