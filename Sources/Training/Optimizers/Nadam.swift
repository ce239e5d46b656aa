import Foundation
import SwiftKerasCore

/// Nadam, as `keras.optimizers.Nadam`: Adam with Nesterov momentum and Keras's momentum
/// schedule `u_t = beta1 * (1 - 0.5 * 0.96^t)`, whose running product is kept in an
/// optimizer-wide state variable.
///
/// ```swift
/// let nadam = try Nadam(learningRate: 2e-3)
/// ```
public final class Nadam: MomentOptimizer {
  /// `"nadam"`.
  override class var defaultName: String { "nadam" }

  private var uProduct: Variable?

  /// `momentum` and `velocity` per variable.
  public override var slotGroups: [SlotGroup] { [SlotGroup(["momentum", "velocity"])] }

  /// The scalar running product of the momentum schedule, starting at 1.
  public override func makeGlobalState() -> [Variable] {
    let variable = Variable(Tensor(1), name: "u_product", trainable: false)
    uProduct = variable
    return [variable]
  }

  /// Advances the running product: `u_product *= beta1 * (1 - 0.5 * 0.96^(t))`.
  public override func prepareStep(learningRate: Float) {
    guard let uProduct else { return }
    let t = Float(iterations + 1)
    uProduct.update { u in
      u[0] = u[0] * Float(beta1) * (1 - 0.5 * powf(0.96, t))
    }
  }

  /// The fused Nadam update.
  public override func update(
    variable: Variable, gradient: Tensor, slots: [Variable], step: OptimizerStep
  ) {
    let lr = step.learningRate
    let localStep = Float(step.iteration + 1)
    let nextStep = Float(step.iteration + 2)
    let decay: Float = 0.96
    let b1 = Float(beta1)
    let b2 = Float(beta2)
    let uT = b1 * (1 - 0.5 * powf(decay, localStep))
    let uT1 = b1 * (1 - 0.5 * powf(decay, nextStep))
    let productT = uProduct?.untrackedValue.scalar ?? 1
    let productT1 = productT * uT1
    let beta2Power = powf(b2, localStep)
    let oneMinusB1 = 1 - b1
    let oneMinusB2 = 1 - b2
    let momentumScale = 1 - productT1
    let gradientScale = 1 - productT
    let oneMinusUT = 1 - uT
    let velocityScale = 1 - beta2Power
    let eps = Float(epsilon)
    withBuffers(variable, gradient, slots[0], slots[1]) { g, w, m, v in
      for i in 0..<w.count {
        let gi = step.gradient(g[i])
        let mi = m[i] + (gi - m[i]) * oneMinusB1
        let vi = v[i] + (gi * gi - v[i]) * oneMinusB2
        m[i] = mi
        v[i] = vi
        let mHat = (uT1 * mi) / momentumScale + (oneMinusUT * gi) / gradientScale
        let vHat = vi / velocityScale
        w[i] = step.decayed(w[i]) - (mHat * lr) / (vHat.squareRoot() + eps)
      }
    }
  }
}
