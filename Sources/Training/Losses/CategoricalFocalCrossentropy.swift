import SwiftKerasCore

/// Categorical focal cross-entropy, `Σ α (1 − p)^γ · (−t log p)` along `axis`, as
/// `keras.losses.CategoricalFocalCrossentropy` (identifier
/// `"categorical_focal_crossentropy"`).
public struct CategoricalFocalCrossentropy: CrossentropyLoss {
  /// The Keras name.
  public var name: String
  /// How per-sample values are reduced.
  public var reduction: LossReduction
  /// The weighting factor.
  public var alpha: Float
  /// The focusing exponent.
  public var gamma: Float
  /// Whether `yPred` holds logits rather than probabilities.
  public var fromLogits: Bool
  /// How far labels are pulled towards uniform, in `[0, 1]`.
  public var labelSmoothing: Float
  /// The class axis.
  public var axis: Int

  /// Creates the loss.
  public init(
    alpha: Float = 0.25, gamma: Float = 2.0, fromLogits: Bool = false, labelSmoothing: Float = 0,
    axis: Int = -1, reduction: LossReduction = .sumOverBatchSize,
    name: String = "categorical_focal_crossentropy"
  ) {
    self.alpha = alpha
    self.gamma = gamma
    self.fromLogits = fromLogits
    self.labelSmoothing = labelSmoothing
    self.axis = axis
    self.reduction = reduction
    self.name = name
  }

  /// The focal cross-entropy of each sample.
  public func perSample(yTrue: Tensor, yPred: Tensor) -> Tensor {
    let (t0, p0) = LossReducer.aligned(yTrue.detached, yPred)
    let t = LossKernels.smoothCategorical(t0, labelSmoothing)
    let p = fromLogits ? p0.softmax(alongAxis: axis) : p0
    let eps = LossKernels.epsilon
    let output = clip(p / p.sum(alongAxis: axis, keepDims: true), eps, 1 - eps)
    let crossentropy = -t * log(output)
    let weighting = pow(1 - output, gamma) * alpha
    return (weighting * crossentropy).sum(alongAxis: axis)
  }

  /// Keras's config keys, including `alpha` and `gamma`.
  public func getConfig() -> ConfigValue {
    var config = crossentropyConfig()
    config["alpha"] = .double(Double(alpha))
    config["gamma"] = .double(Double(gamma))
    return .object(config)
  }
}
