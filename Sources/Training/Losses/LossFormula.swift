import SwiftKerasCore

/// The per-sample computation of a loss whose only Keras arguments are `name` and
/// `reduction`; ``FormulaLoss`` adds those, so such a loss is written as its formula alone.
///
/// ```swift
/// enum HalfSquaredFormula: LossFormula {
///   static func perSample(yTrue: Tensor, yPred: Tensor) -> Tensor {
///     ((yPred - yTrue) * (yPred - yTrue) * 0.5).mean(alongAxis: -1)
///   }
/// }
/// let loss = FormulaLoss<HalfSquaredFormula>(name: "half_squared")
/// ```
public protocol LossFormula {
  /// The loss's default name; built-in formulas take Keras's function name
  /// (`"mean_squared_error"` for ``MeanSquaredError``).
  static var defaultName: String { get }

  /// The unreduced values, as ``Loss/perSample(yTrue:yPred:)``.
  static func perSample(yTrue: Tensor, yPred: Tensor) -> Tensor

  /// Throws when `yTrue` and `yPred` do not fit, naming the loss `loss`, as
  /// ``Loss/validate(yTrue:yPred:)``.
  static func validate(yTrue: Tensor, yPred: Tensor, loss: String) throws
}

extension LossFormula {
  /// The function name Keras's loss registry gives the loss this formula is named after
  /// (`MeanSquaredErrorFormula` → `"mean_squared_error"`), so the name is written once, in
  /// the registry; a formula the registry does not know is named after its type.
  public static var defaultName: String {
    let typeName = String(describing: Self.self)
    let className = typeName.hasSuffix("Formula") ? String(typeName.dropLast(7)) : typeName
    return LossRegistry.canonical[className] ?? typeName
  }

  /// Most losses broadcast `yTrue` against `yPred`, after Keras's rank alignment.
  public static func validate(yTrue: Tensor, yPred: Tensor, loss: String) throws {
    try LossReducer.validateBroadcastable(yTrue, yPred, loss: loss)
  }
}
