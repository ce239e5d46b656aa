import SwiftKerasCore

/// Adagrad, as `keras.optimizers.Adagrad`: per-element rates shrinking with the sum of
/// squared gradients, `a += g²`, `w -= lr * g / sqrt(a + epsilon)`.
///
/// ```swift
/// let adagrad = try Adagrad(learningRate: 0.01)
/// ```
public final class Adagrad: BaseOptimizer {
  /// The starting value of every accumulator.
  public let initialAccumulatorValue: Double
  /// Added inside the square root for stability.
  public let epsilon: Double

  /// Creates Adagrad (Keras defaults: 0.001, 0.1, 1e-7). `learningRate` is a number or a
  /// ``LearningRateSchedule``.
  ///
  /// - Throws: ``SwiftKerasError`` when several clipping options are set.
  public convenience init(
    learningRate: some LearningRateConvertible = Float(0.001),
    initialAccumulatorValue: Double = 0.1, epsilon: Double = 1e-7, weightDecay: Double? = nil,
    clipnorm: Double? = nil, clipvalue: Double? = nil, globalClipnorm: Double? = nil,
    name: String = "adagrad"
  ) throws {
    try self.init(
      learningRateValue: learningRate.learningRateValue,
      initialAccumulatorValue: initialAccumulatorValue, epsilon: epsilon, weightDecay: weightDecay,
      clipnorm: clipnorm, clipvalue: clipvalue, globalClipnorm: globalClipnorm, name: name)
  }

  /// Creates Adagrad from a constant or scheduled learning rate.
  public init(
    learningRateValue: LearningRateValue, initialAccumulatorValue: Double = 0.1,
    epsilon: Double = 1e-7, weightDecay: Double? = nil, clipnorm: Double? = nil,
    clipvalue: Double? = nil, globalClipnorm: Double? = nil, name: String = "adagrad"
  ) throws {
    self.initialAccumulatorValue = initialAccumulatorValue
    self.epsilon = epsilon
    try super.init(
      learningRate: learningRateValue, name: name, weightDecay: weightDecay, clipnorm: clipnorm,
      clipvalue: clipvalue, globalClipnorm: globalClipnorm)
  }

  /// One `accumulator` per variable, starting at `initialAccumulatorValue`.
  public override var slotGroups: [SlotGroup] {
    [SlotGroup(["accumulator"], initialValue: Float(initialAccumulatorValue))]
  }

  /// The fused Adagrad update.
  public override func update(
    variable: Variable, gradient: Tensor, slots: [Variable], step: OptimizerStep
  ) {
    let lr = step.learningRate
    let eps = Float(epsilon)
    withBuffers(variable, gradient, slots[0]) { g, w, a in
      for i in 0..<w.count {
        let gi = step.gradient(g[i])
        let ai = a[i] + gi * gi
        a[i] = ai
        w[i] = step.decayed(w[i]) - (lr * gi) / (ai + eps).squareRoot()
      }
    }
  }

  /// `initial_accumulator_value` and `epsilon`.
  public override func extraConfig() -> [String: ConfigValue] {
    ["initial_accumulator_value": .double(initialAccumulatorValue), "epsilon": .double(epsilon)]
  }
}
