import SwiftKerasCore

/// Binary focal cross-entropy, `(1 − p_t)^γ · BCE`, optionally class-balanced by `α`,
/// averaged along `axis`, as `keras.losses.BinaryFocalCrossentropy` (identifier
/// `"binary_focal_crossentropy"`).
///
/// With `fromLogits` the sigmoid is applied first and the clipped probability form is
/// used, exactly as Keras does.
public struct BinaryFocalCrossentropy: CrossentropyLoss {
  /// The Keras name.
  public var name: String
  /// How per-sample values are reduced.
  public var reduction: LossReduction
  /// Whether to weight positives by `alpha` and negatives by `1 − alpha`.
  public var applyClassBalancing: Bool
  /// The positive-class weight used when `applyClassBalancing` is set.
  public var alpha: Float
  /// The focusing exponent.
  public var gamma: Float
  /// Whether `yPred` holds logits rather than probabilities.
  public var fromLogits: Bool
  /// How far labels are pulled towards ½, in `[0, 1]`.
  public var labelSmoothing: Float
  /// The axis averaged over.
  public var axis: Int

  /// Creates the loss.
  public init(
    applyClassBalancing: Bool = false, alpha: Float = 0.25, gamma: Float = 2.0,
    fromLogits: Bool = false, labelSmoothing: Float = 0, axis: Int = -1,
    reduction: LossReduction = .sumOverBatchSize, name: String = "binary_focal_crossentropy"
  ) {
    self.applyClassBalancing = applyClassBalancing
    self.alpha = alpha
    self.gamma = gamma
    self.fromLogits = fromLogits
    self.labelSmoothing = labelSmoothing
    self.axis = axis
    self.reduction = reduction
    self.name = name
  }

  /// The focal cross-entropy averaged along `axis`.
  public func perSample(yTrue: Tensor, yPred: Tensor) -> Tensor {
    let (t0, p0) = LossReducer.aligned(yTrue.detached, yPred)
    let t = LossKernels.smoothBinary(t0, labelSmoothing)
    let p = fromLogits ? LossKernels.sigmoid(p0) : p0
    let bce = LossKernels.binaryCrossentropy(t, p)
    let pt = t * p + (1 - t) * (1 - p)
    var focal = pow(1 - pt, gamma) * bce
    if applyClassBalancing {
      focal = (t * alpha + (1 - t) * (1 - alpha)) * focal
    }
    return focal.rank == 0 ? focal : focal.axisMean([axis])
  }

  /// Keras's config keys, including `apply_class_balancing`, `alpha` and `gamma`.
  public func getConfig() -> ConfigValue {
    var config = crossentropyConfig()
    config["apply_class_balancing"] = .bool(applyClassBalancing)
    config["alpha"] = .double(Double(alpha))
    config["gamma"] = .double(Double(gamma))
    return .object(config)
  }
}
