import SwiftKerasCore

/// What ``MeanAbsoluteError`` computes for each sample.
public enum MeanAbsoluteErrorFormula: LossFormula {
  /// `mean(|yTrue − yPred|, axis: −1)`.
  public static func perSample(yTrue: Tensor, yPred: Tensor) -> Tensor {
    LossKernels.meanOverLastAxis(yTrue, yPred) { t, p in
      let d = p - t
      return (Swift.abs(d), d > 0 ? 1 : (d < 0 ? -1 : 0))
    }
  }
}

/// The mean of absolute differences over the last axis: `mean(|yTrue − yPred|, axis: −1)`,
/// as `keras.losses.MeanAbsoluteError` (identifiers `"mean_absolute_error"`, `"mae"`).
public typealias MeanAbsoluteError = FormulaLoss<MeanAbsoluteErrorFormula>
