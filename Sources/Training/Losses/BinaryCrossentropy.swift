import SwiftKerasCore

/// Binary cross-entropy averaged along `axis`, as `keras.losses.BinaryCrossentropy`
/// (identifiers `"binary_crossentropy"`, `"bce"`).
///
/// Probabilities are clipped to `[1e-7, 1 − 1e-7]`; with `fromLogits` the stable
/// log-sigmoid form is used. Labels are smoothed towards ½ by `labelSmoothing`.
public struct BinaryCrossentropy: CrossentropyLoss {
  /// The Keras name.
  public var name: String
  /// How per-sample values are reduced.
  public var reduction: LossReduction
  /// Whether `yPred` holds logits rather than probabilities.
  public var fromLogits: Bool
  /// How far labels are pulled towards ½, in `[0, 1]`.
  public var labelSmoothing: Float
  /// The axis averaged over.
  public var axis: Int

  /// Creates the loss.
  public init(
    fromLogits: Bool = false, labelSmoothing: Float = 0, axis: Int = -1,
    reduction: LossReduction = .sumOverBatchSize, name: String = "binary_crossentropy"
  ) {
    self.fromLogits = fromLogits
    self.labelSmoothing = labelSmoothing
    self.axis = axis
    self.reduction = reduction
    self.name = name
  }

  /// The cross-entropy averaged along `axis`.
  public func perSample(yTrue: Tensor, yPred: Tensor) -> Tensor {
    let (t, p) = LossReducer.aligned(yTrue.detached, yPred)
    let target = LossKernels.smoothBinary(t, labelSmoothing)
    let values =
      fromLogits
      ? LossKernels.binaryCrossentropyFromLogits(target, p)
      : LossKernels.binaryCrossentropy(target, p)
    return values.rank == 0 ? values : values.axisMean([axis])
  }
}
