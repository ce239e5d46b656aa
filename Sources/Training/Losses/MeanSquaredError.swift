import SwiftKerasCore

/// What ``MeanSquaredError`` computes for each sample.
public enum MeanSquaredErrorFormula: LossFormula {
  /// `mean((yTrue − yPred)², axis: −1)`, one fused pass.
  public static func perSample(yTrue: Tensor, yPred: Tensor) -> Tensor {
    LossKernels.meanOverLastAxis(yTrue, yPred) { t, p in
      let d = p - t
      return (d * d, 2 * d)
    }
  }
}

/// The mean of squared differences over the last axis: `mean((yTrue − yPred)², axis: −1)`,
/// as `keras.losses.MeanSquaredError` (identifiers `"mean_squared_error"`, `"mse"`).
public typealias MeanSquaredError = FormulaLoss<MeanSquaredErrorFormula>
