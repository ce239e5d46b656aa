import Foundation
import SwiftKerasCore

/// Adamax, as `keras.optimizers.Adamax`: Adam with the infinity norm,
/// `u = max(beta2 * u, |g|)`, `w -= lr * m / ((1 - beta1^t) * (u + epsilon))`.
///
/// ```swift
/// let adamax = try Adamax(learningRate: 2e-3)
/// ```
public final class Adamax: BaseOptimizer {
  /// The decay of the first-moment average.
  public let beta1: Double
  /// The decay of the infinity norm.
  public let beta2: Double
  /// Added to the denominator for stability.
  public let epsilon: Double

  /// Creates Adamax (Keras defaults: 0.001, 0.9, 0.999). `learningRate` is a number or a
  /// ``LearningRateSchedule``.
  ///
  /// - Throws: ``SwiftKerasError`` when several clipping options are set.
  public convenience init(
    learningRate: some LearningRateConvertible = Float(0.001), beta1: Double = 0.9,
    beta2: Double = 0.999, epsilon: Double = 1e-7, weightDecay: Double? = nil,
    clipnorm: Double? = nil, clipvalue: Double? = nil, globalClipnorm: Double? = nil,
    name: String = "adamax"
  ) throws {
    try self.init(
      learningRateValue: learningRate.learningRateValue, beta1: beta1, beta2: beta2,
      epsilon: epsilon, weightDecay: weightDecay, clipnorm: clipnorm, clipvalue: clipvalue,
      globalClipnorm: globalClipnorm, name: name)
  }

  /// Creates Adamax from a constant or scheduled learning rate.
  public init(
    learningRateValue: LearningRateValue, beta1: Double = 0.9, beta2: Double = 0.999,
    epsilon: Double = 1e-7, weightDecay: Double? = nil, clipnorm: Double? = nil,
    clipvalue: Double? = nil, globalClipnorm: Double? = nil, name: String = "adamax"
  ) throws {
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    try super.init(
      learningRate: learningRateValue, name: name, weightDecay: weightDecay, clipnorm: clipnorm,
      clipvalue: clipvalue, globalClipnorm: globalClipnorm)
  }

  /// `momentum` and `norm` per variable.
  public override var slotGroups: [SlotGroup] { [SlotGroup(["momentum", "norm"])] }

  /// The fused Adamax update.
  public override func update(
    variable: Variable, gradient: Tensor, slots: [Variable], step: OptimizerStep
  ) {
    let lr = step.learningRate
    let correction = 1 - powf(Float(beta1), Float(step.iteration + 1))
    let oneMinusBeta1 = Float(1 - beta1)
    let b2 = Float(beta2)
    let eps = Float(epsilon)
    withBuffers(variable, gradient, slots[0], slots[1]) { g, w, m, u in
      for i in 0..<w.count {
        let gi = step.gradient(g[i])
        let mi = m[i] + (gi - m[i]) * oneMinusBeta1
        let ui = Swift.max(b2 * u[i], Swift.abs(gi))
        m[i] = mi
        u[i] = ui
        w[i] = step.decayed(w[i]) - (lr * mi) / (correction * (ui + eps))
      }
    }
  }

  /// `beta_1`, `beta_2` and `epsilon`.
  public override func extraConfig() -> [String: ConfigValue] {
    ["beta_1": .double(beta1), "beta_2": .double(beta2), "epsilon": .double(epsilon)]
  }
}
