import SwiftKerasCore

/// Adam with decoupled weight decay, as `keras.optimizers.AdamW`: Adam whose
/// `weight_decay` defaults to 0.004 and must be set.
///
/// ```swift
/// let adamw = try AdamW(learningRate: 1e-3, weightDecay: 0.01)
/// ```
public final class AdamW: Adam {
  /// Creates AdamW (Keras defaults: 0.001, decay 0.004). `learningRate` is a number or a
  /// ``LearningRateSchedule``.
  ///
  /// - Throws: ``SwiftKerasError`` when several clipping options are set.
  public convenience init(
    learningRate: some LearningRateConvertible = Float(0.001), weightDecay: Double = 0.004,
    beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-7, amsgrad: Bool = false,
    clipnorm: Double? = nil, clipvalue: Double? = nil, globalClipnorm: Double? = nil,
    name: String = "adam_w"
  ) throws {
    try self.init(
      learningRateValue: learningRate.learningRateValue, weightDecay: weightDecay, beta1: beta1,
      beta2: beta2, epsilon: epsilon, amsgrad: amsgrad, clipnorm: clipnorm, clipvalue: clipvalue,
      globalClipnorm: globalClipnorm, name: name)
  }

  /// Creates AdamW from a constant or scheduled learning rate.
  ///
  /// - Throws: ``SwiftKerasError`` when `weightDecay` is nil, as Keras.
  public init(
    learningRateValue: LearningRateValue, weightDecay: Double? = 0.004, beta1: Double = 0.9,
    beta2: Double = 0.999, epsilon: Double = 1e-7, amsgrad: Bool = false,
    clipnorm: Double? = nil, clipvalue: Double? = nil, globalClipnorm: Double? = nil,
    name: String = "adam_w"
  ) throws {
    guard weightDecay != nil else {
      throw SwiftKerasError(
        .invalidArgument, "Argument `weight_decay` must be a float. Received: weight_decay=None")
    }
    try super.init(
      learningRateValue: learningRateValue, beta1: beta1, beta2: beta2, epsilon: epsilon,
      amsgrad: amsgrad, weightDecay: weightDecay, clipnorm: clipnorm, clipvalue: clipvalue,
      globalClipnorm: globalClipnorm, name: name)
  }
}
