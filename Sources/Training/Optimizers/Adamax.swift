import Foundation
import SwiftKerasCore

/// Adamax, as `keras.optimizers.Adamax`: Adam with the infinity norm,
/// `u = max(beta2 * u, |g|)`, `w -= lr * m / ((1 - beta1^t) * (u + epsilon))`.
///
/// ```swift
/// let adamax = try Adamax(learningRate: 2e-3)
/// ```
public final class Adamax: MomentOptimizer {
  /// `"adamax"`.
  override class var defaultName: String { "adamax" }

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
}
