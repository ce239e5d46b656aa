import SwiftKerasCore

/// Binary cross-entropy averaged along `axis`, as `keras.losses.BinaryCrossentropy`
/// (identifiers `"binary_crossentropy"`, `"bce"`).
///
/// Probabilities are clipped to `[1e-7, 1 − 1e-7]`; with `fromLogits` the stable
/// log-sigmoid form is used. Labels are smoothed towards ½ by `labelSmoothing`.
public typealias BinaryCrossentropy = Crossentropy<BinaryCrossentropyScoring>

/// The scoring of ``BinaryCrossentropy``.
public enum BinaryCrossentropyScoring: CrossentropyScoring {
  /// `"binary_crossentropy"`.
  public static var defaultName: String { "binary_crossentropy" }

  /// The cross-entropy averaged along `axis`.
  public static func perSample(yTrue: Tensor, yPred: Tensor, loss: BinaryCrossentropy) -> Tensor {
    let (t, p) = LossReducer.aligned(yTrue.detached, yPred)
    let target = LossKernels.smoothBinary(t, loss.labelSmoothing)
    let values =
      loss.fromLogits
      ? LossKernels.binaryCrossentropyFromLogits(target, p)
      : LossKernels.binaryCrossentropy(target, p)
    return values.rank == 0 ? values : values.axisMean([loss.axis])
  }
}
