import CKernels
import Foundation
import SwiftKerasCore

/// Adam, as `keras.optimizers.Adam`: per-element step sizes from running averages of
/// the gradient (`m`) and its square (`v`), with bias correction folded into the rate:
/// `alpha = lr * sqrt(1 - beta2^t) / (1 - beta1^t)`, `w -= alpha * m / (sqrt(v) + epsilon)`.
/// With `amsgrad` the maximum of past `v` is used.
///
/// ```swift
/// let adam = try Adam(learningRate: 1e-3)
/// ```
public class Adam: MomentOptimizer {
  /// Whether the AMSGrad variant is used.
  public let amsgrad: Bool

  /// Creates Adam (Keras defaults: 0.001, 0.9, 0.999, 1e-7). `learningRate` is a number or a
  /// ``LearningRateSchedule``.
  ///
  /// - Throws: ``SwiftKerasError`` when several clipping options are set.
  public convenience init(
    learningRate: some LearningRateConvertible = Float(0.001), beta1: Double = 0.9,
    beta2: Double = 0.999, epsilon: Double = 1e-7, amsgrad: Bool = false,
    weightDecay: Double? = nil, clipnorm: Double? = nil, clipvalue: Double? = nil,
    globalClipnorm: Double? = nil, name: String = "adam"
  ) throws {
    try self.init(
      learningRateValue: learningRate.learningRateValue, beta1: beta1, beta2: beta2,
      epsilon: epsilon, amsgrad: amsgrad, weightDecay: weightDecay, clipnorm: clipnorm,
      clipvalue: clipvalue, globalClipnorm: globalClipnorm, name: name)
  }

  /// Creates Adam from a constant or scheduled learning rate.
  public init(
    learningRateValue: LearningRateValue, beta1: Double = 0.9, beta2: Double = 0.999,
    epsilon: Double = 1e-7, amsgrad: Bool = false, weightDecay: Double? = nil,
    clipnorm: Double? = nil, clipvalue: Double? = nil, globalClipnorm: Double? = nil,
    name: String = "adam"
  ) throws {
    self.amsgrad = amsgrad
    try super.init(
      learningRateValue: learningRateValue, beta1: beta1, beta2: beta2, epsilon: epsilon,
      weightDecay: weightDecay, clipnorm: clipnorm, clipvalue: clipvalue,
      globalClipnorm: globalClipnorm, name: name)
  }

  /// `momentum` and `velocity` per variable, then `velocity_hat` with `amsgrad`.
  public override var slotGroups: [SlotGroup] {
    var groups = [SlotGroup(["momentum", "velocity"])]
    if amsgrad { groups.append(SlotGroup(["velocity_hat"])) }
    return groups
  }

  /// The fused Adam update.
  public override func update(
    variable: Variable, gradient: Tensor, slots: [Variable], step: OptimizerStep
  ) {
    let t = Float(step.iteration + 1)
    let beta1Power = powf(Float(beta1), t)
    let beta2Power = powf(Float(beta2), t)
    let alpha = step.learningRate * (1 - beta2Power).squareRoot() / (1 - beta1Power)
    let oneMinusBeta1 = Float(1 - beta1)
    let oneMinusBeta2 = Float(1 - beta2)
    let eps = Float(epsilon)
    withBuffers(variable, gradient, slots[0], slots[1]) { g, w, m, v in
      let n = w.count
      if amsgrad {
        slots[2].update { vHat in
          for i in 0..<n {
            let gi = step.gradient(g[i])
            let mi = m[i] + (gi - m[i]) * oneMinusBeta1
            let vi = v[i] + (gi * gi - v[i]) * oneMinusBeta2
            let hi = Swift.max(vHat[i], vi)
            m[i] = mi
            v[i] = vi
            vHat[i] = hi
            w[i] = step.decayed(w[i]) - (mi * alpha) / (hi.squareRoot() + eps)
          }
        }
      } else if step.isPlain, let pw = w.baseAddress, let pm = m.baseAddress,
        let pv = v.baseAddress, let pg = g.baseAddress
      {
        // The common case runs as one vector pass (same operations, same order).
        sk_adam_update(pw, pm, pv, pg, n, alpha, oneMinusBeta1, oneMinusBeta2, eps)
      } else {
        for i in 0..<n {
          let gi = step.gradient(g[i])
          let mi = m[i] + (gi - m[i]) * oneMinusBeta1
          let vi = v[i] + (gi * gi - v[i]) * oneMinusBeta2
          m[i] = mi
          v[i] = vi
          w[i] = step.decayed(w[i]) - (mi * alpha) / (vi.squareRoot() + eps)
        }
      }
    }
  }

  /// `beta_1`, `beta_2`, `epsilon` and `amsgrad`.
  public override func extraConfig() -> [String: ConfigValue] {
    var config = super.extraConfig()
    config["amsgrad"] = .bool(amsgrad)
    return config
  }
}
