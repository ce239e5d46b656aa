import SwiftKerasCore

/// Adadelta, as `keras.optimizers.Adadelta`: step sizes from running averages of squared
/// gradients and squared updates, `delta = -sqrt(d + eps) / sqrt(a + eps) * g`,
/// `w += lr * delta`.
///
/// ```swift
/// let adadelta = try Adadelta(learningRate: 1.0)
/// ```
public final class Adadelta: BaseOptimizer {
  /// The decay of the running averages.
  public let rho: Double
  /// Added inside the square roots for stability.
  public let epsilon: Double

  /// Creates Adadelta (Keras defaults: 0.001, rho 0.95). `learningRate` is a number or a
  /// ``LearningRateSchedule``.
  ///
  /// - Throws: ``SwiftKerasError`` when several clipping options are set.
  public convenience init(
    learningRate: some LearningRateConvertible = Float(0.001), rho: Double = 0.95,
    epsilon: Double = 1e-7, weightDecay: Double? = nil, clipnorm: Double? = nil,
    clipvalue: Double? = nil, globalClipnorm: Double? = nil, name: String = "adadelta"
  ) throws {
    try self.init(
      learningRateValue: learningRate.learningRateValue, rho: rho, epsilon: epsilon,
      weightDecay: weightDecay, clipnorm: clipnorm, clipvalue: clipvalue,
      globalClipnorm: globalClipnorm, name: name)
  }

  /// Creates Adadelta from a constant or scheduled learning rate.
  public init(
    learningRateValue: LearningRateValue, rho: Double = 0.95, epsilon: Double = 1e-7,
    weightDecay: Double? = nil, clipnorm: Double? = nil, clipvalue: Double? = nil,
    globalClipnorm: Double? = nil, name: String = "adadelta"
  ) throws {
    self.rho = rho
    self.epsilon = epsilon
    try super.init(
      learningRate: learningRateValue, name: name, weightDecay: weightDecay, clipnorm: clipnorm,
      clipvalue: clipvalue, globalClipnorm: globalClipnorm)
  }

  /// `accumulated_grad` and `accumulated_delta_var` per variable.
  public override var slotGroups: [SlotGroup] {
    [SlotGroup(["accumulated_grad", "accumulated_delta_var"])]
  }

  /// The fused Adadelta update.
  public override func update(
    variable: Variable, gradient: Tensor, slots: [Variable], step: OptimizerStep
  ) {
    let lr = step.learningRate
    let r = Float(rho)
    let oneMinusRho = Float(1 - rho)
    let eps = Float(epsilon)
    withBuffers(variable, gradient, slots[0], slots[1]) { g, w, a, d in
      for i in 0..<w.count {
        let gi = step.gradient(g[i])
        let ai = r * a[i] + oneMinusRho * (gi * gi)
        a[i] = ai
        let delta = -(((d[i] + eps).squareRoot() * gi) / (ai + eps).squareRoot())
        d[i] = r * d[i] + oneMinusRho * (delta * delta)
        w[i] = step.decayed(w[i]) + lr * delta
      }
    }
  }

  /// `rho` and `epsilon`.
  public override func extraConfig() -> [String: ConfigValue] {
    ["rho": .double(rho), "epsilon": .double(epsilon)]
  }
}
