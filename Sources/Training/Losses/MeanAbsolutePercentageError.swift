import SwiftKerasCore

/// What ``MeanAbsolutePercentageError`` computes for each sample.
public enum MeanAbsolutePercentageErrorFormula: LossFormula {
  /// `100 · mean(|(yTrue − yPred) / max(|yTrue|, ε)|, axis: −1)`.
  public static func perSample(yTrue: Tensor, yPred: Tensor) -> Tensor {
    let eps = LossKernels.epsilon
    return LossKernels.meanOverLastAxis(yTrue, yPred) { t, p in
      let scale = 100 / Swift.max(Swift.abs(t), eps)
      let d = p - t
      return (Swift.abs(d) * scale, d > 0 ? scale : (d < 0 ? -scale : 0))
    }
  }
}

/// `100 · mean(|(yTrue − yPred) / max(|yTrue|, ε)|, axis: −1)`, as
/// `keras.losses.MeanAbsolutePercentageError` (identifiers `"mean_absolute_percentage_error"`,
/// `"mape"`).
public typealias MeanAbsolutePercentageError = FormulaLoss<MeanAbsolutePercentageErrorFormula>
