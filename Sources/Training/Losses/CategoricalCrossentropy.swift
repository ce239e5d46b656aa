import SwiftKerasCore

/// Categorical cross-entropy along `axis` for one-hot (or soft) labels, as
/// `keras.losses.CategoricalCrossentropy` (identifier `"categorical_crossentropy"`).
///
/// Probabilities are renormalised and clipped to `[1e-7, 1 − 1e-7]`; logits use the stable
/// log-softmax form. Both run as one fused kernel with a single tape entry. Labels are
/// smoothed towards uniform by `labelSmoothing`.
public typealias CategoricalCrossentropy = Crossentropy<CategoricalCrossentropyScoring>

/// The scoring of ``CategoricalCrossentropy``.
public enum CategoricalCrossentropyScoring: CrossentropyScoring {
  /// `"categorical_crossentropy"`.
  public static var defaultName: String { "categorical_crossentropy" }

  /// The cross-entropy of each sample.
  public static func perSample(yTrue: Tensor, yPred: Tensor, loss: CategoricalCrossentropy)
    -> Tensor
  {
    // A softmax output is scored from its logits, as Keras does on TensorFlow.
    let logits =
      loss.fromLogits || (loss.axis != -1 && loss.axis != yPred.rank - 1)
      ? nil : yPred.softmaxLogits
    let (t0, p0) = LossReducer.aligned(yTrue.detached, logits ?? yPred)
    var t = LossKernels.smoothCategorical(t0, loss.labelSmoothing)
    var p = p0
    let a = loss.axis < 0 ? loss.axis + p.rank : loss.axis
    if a != p.rank - 1 {
      var permutation = Array(0..<p.rank)
      permutation.remove(at: a)
      permutation.append(a)
      t = t.transposed(permutation: permutation)
      p = p.transposed(permutation: permutation)
    }
    return LossKernels.categoricalCrossentropy(
      yTrue: t, yPred: p, fromLogits: loss.fromLogits || logits != nil)
  }
}
