import SwiftKerasCore

/// Lion, as `keras.optimizers.Lion`: steps of fixed size in the direction of the sign
/// of an interpolated momentum, `w -= lr * sign(beta1 * m + (1 - beta1) * g)`, then
/// `m = beta2 * m + (1 - beta2) * g`.
///
/// ```swift
/// let lion = try Lion(learningRate: 1e-4)
/// ```
public final class Lion: BaseOptimizer {
  /// The interpolation factor of the update direction, in (0, 1].
  public let beta1: Double
  /// The decay of the momentum.
  public let beta2: Double

  /// Creates Lion (Keras defaults: 0.001, 0.9, 0.99). `learningRate` is a number or a
  /// ``LearningRateSchedule``.
  ///
  /// - Throws: ``SwiftKerasError`` when `beta1` is outside (0, 1] or several clipping
  ///   options are set.
  public convenience init(
    learningRate: some LearningRateConvertible = Float(0.001), beta1: Double = 0.9,
    beta2: Double = 0.99, weightDecay: Double? = nil, clipnorm: Double? = nil,
    clipvalue: Double? = nil, globalClipnorm: Double? = nil, name: String = "lion"
  ) throws {
    try self.init(
      learningRateValue: learningRate.learningRateValue, beta1: beta1, beta2: beta2,
      weightDecay: weightDecay, clipnorm: clipnorm, clipvalue: clipvalue,
      globalClipnorm: globalClipnorm, name: name)
  }

  /// Creates Lion from a constant or scheduled learning rate.
  public init(
    learningRateValue: LearningRateValue, beta1: Double = 0.9, beta2: Double = 0.99,
    weightDecay: Double? = nil, clipnorm: Double? = nil, clipvalue: Double? = nil,
    globalClipnorm: Double? = nil, name: String = "lion"
  ) throws {
    guard beta1 > 0, beta1 <= 1 else {
      throw SwiftKerasError(
        .invalidArgument,
        "Argument `beta_1` must be in the [0, 1] range. Otherwise, the optimizer degenerates "
          + "to SignSGD. Received: beta_1=\(beta1).")
    }
    self.beta1 = beta1
    self.beta2 = beta2
    try super.init(
      learningRate: learningRateValue, name: name, weightDecay: weightDecay, clipnorm: clipnorm,
      clipvalue: clipvalue, globalClipnorm: globalClipnorm)
  }

  /// One `momentum` slot per variable.
  public override var slotGroups: [SlotGroup] { [SlotGroup(["momentum"])] }

  /// The fused Lion update.
  public override func update(
    variable: Variable, gradient: Tensor, slots: [Variable], step: OptimizerStep
  ) {
    let lr = step.learningRate
    let b1 = Float(beta1)
    let b2 = Float(beta2)
    let oneMinusB1 = 1 - b1
    let oneMinusB2 = 1 - b2
    withBuffers(variable, gradient, slots[0]) { g, w, m in
      for i in 0..<w.count {
        let gi = step.gradient(g[i])
        let direction = m[i] * b1 + gi * oneMinusB1
        let sign: Float = direction > 0 ? 1 : (direction < 0 ? -1 : direction)
        w[i] = step.decayed(w[i]) - lr * sign
        m[i] = m[i] * b2 + gi * oneMinusB2
      }
    }
  }

  /// `beta_1` and `beta_2`.
  public override func extraConfig() -> [String: ConfigValue] {
    ["beta_1": .double(beta1), "beta_2": .double(beta2)]
  }
}
