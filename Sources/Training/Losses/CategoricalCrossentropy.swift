import SwiftKerasCore

/// Categorical cross-entropy along `axis` for one-hot (or soft) labels, as
/// `keras.losses.CategoricalCrossentropy` (identifier `"categorical_crossentropy"`).
///
/// Probabilities are renormalised and clipped to `[1e-7, 1 − 1e-7]`; logits use the stable
/// log-softmax form. Both run as one fused kernel with a single tape entry. Labels are
/// smoothed towards uniform by `labelSmoothing`.
public struct CategoricalCrossentropy: CrossentropyLoss {
  /// The Keras name.
  public var name: String
  /// How per-sample values are reduced.
  public var reduction: LossReduction
  /// Whether `yPred` holds logits rather than probabilities.
  public var fromLogits: Bool
  /// How far labels are pulled towards uniform, in `[0, 1]`.
  public var labelSmoothing: Float
  /// The class axis.
  public var axis: Int

  /// Creates the loss.
  public init(
    fromLogits: Bool = false, labelSmoothing: Float = 0, axis: Int = -1,
    reduction: LossReduction = .sumOverBatchSize, name: String = "categorical_crossentropy"
  ) {
    self.fromLogits = fromLogits
    self.labelSmoothing = labelSmoothing
    self.axis = axis
    self.reduction = reduction
    self.name = name
  }

  /// The cross-entropy of each sample.
  public func perSample(yTrue: Tensor, yPred: Tensor) -> Tensor {
    // A softmax output is scored from its logits, as Keras does on TensorFlow.
    let logits =
      fromLogits || (axis != -1 && axis != yPred.rank - 1) ? nil : yPred.softmaxLogits
    let (t0, p0) = LossReducer.aligned(yTrue.detached, logits ?? yPred)
    var t = LossKernels.smoothCategorical(t0, labelSmoothing)
    var p = p0
    let a = axis < 0 ? axis + p.rank : axis
    if a != p.rank - 1 {
      var permutation = Array(0..<p.rank)
      permutation.remove(at: a)
      permutation.append(a)
      t = t.transposed(permutation: permutation)
      p = p.transposed(permutation: permutation)
    }
    return LossKernels.categoricalCrossentropy(
      yTrue: t, yPred: p, fromLogits: fromLogits || logits != nil)
  }
}
