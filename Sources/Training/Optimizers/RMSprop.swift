import SwiftKerasCore

/// RMSprop, as `keras.optimizers.RMSprop`: divides the gradient by a running root mean
/// square, `v = rho * v + (1 - rho) * g²`, `w -= lr * g / sqrt(v + epsilon)`.
/// `centered` subtracts the squared running mean of the gradient from `v`; `momentum`
/// accumulates the increments.
///
/// ```swift
/// let rmsprop = try RMSprop(learningRate: 1e-3, momentum: 0.9, centered: true)
/// ```
public final class RMSprop: BaseOptimizer {
  /// The decay of the running averages.
  public let rho: Double
  /// The momentum factor; 0 disables the momentum slot.
  public let momentum: Double
  /// Added inside the square root for stability.
  public let epsilon: Double
  /// Whether gradients are normalized by their estimated variance.
  public let centered: Bool

  /// Creates RMSprop (Keras defaults: 0.001, rho 0.9). `learningRate` is a number or a
  /// ``LearningRateSchedule``.
  ///
  /// - Throws: ``SwiftKerasError`` when several clipping options are set.
  public convenience init(
    learningRate: some LearningRateConvertible = Float(0.001), rho: Double = 0.9,
    momentum: Double = 0, epsilon: Double = 1e-7, centered: Bool = false,
    weightDecay: Double? = nil, clipnorm: Double? = nil, clipvalue: Double? = nil,
    globalClipnorm: Double? = nil, name: String = "rm_sprop"
  ) throws {
    try self.init(
      learningRateValue: learningRate.learningRateValue, rho: rho, momentum: momentum,
      epsilon: epsilon, centered: centered, weightDecay: weightDecay, clipnorm: clipnorm,
      clipvalue: clipvalue, globalClipnorm: globalClipnorm, name: name)
  }

  /// Creates RMSprop from a constant or scheduled learning rate.
  public init(
    learningRateValue: LearningRateValue, rho: Double = 0.9, momentum: Double = 0,
    epsilon: Double = 1e-7, centered: Bool = false, weightDecay: Double? = nil,
    clipnorm: Double? = nil, clipvalue: Double? = nil, globalClipnorm: Double? = nil,
    name: String = "rm_sprop"
  ) throws {
    self.rho = rho
    self.momentum = momentum
    self.epsilon = epsilon
    self.centered = centered
    try super.init(
      learningRate: learningRateValue, name: name, weightDecay: weightDecay, clipnorm: clipnorm,
      clipvalue: clipvalue, globalClipnorm: globalClipnorm)
  }

  /// `velocity`, then `momentum` if `momentum > 0`, then `average_gradient` if centered.
  public override var slotGroups: [SlotGroup] {
    var groups = [SlotGroup(["velocity"])]
    if momentum > 0 { groups.append(SlotGroup(["momentum"])) }
    if centered { groups.append(SlotGroup(["average_gradient"])) }
    return groups
  }

  /// The fused RMSprop update.
  public override func update(
    variable: Variable, gradient: Tensor, slots: [Variable], step: OptimizerStep
  ) {
    let lr = step.learningRate
    let r = Float(rho)
    let oneMinusRho = Float(1 - rho)
    let eps = Float(epsilon)
    let mu = Float(momentum)
    let useMomentum = momentum > 0
    let momentumSlot = useMomentum ? slots[1] : nil
    let averageSlot = centered ? slots[useMomentum ? 2 : 1] : nil
    withBuffers(variable, gradient, slots[0]) { g, w, v in
      let n = w.count
      // The step of element i before momentum, `lr * g / rms`, updating the running
      // averages: the plain and the centered rms, shared by the cases with and without
      // momentum.
      @inline(__always) func plainStep(_ i: Int) -> Float {
        let gi = step.gradient(g[i])
        let vi = r * v[i] + oneMinusRho * (gi * gi)
        v[i] = vi
        return (lr * gi) / (vi + eps).squareRoot()
      }
      @inline(__always) func centeredStep(_ i: Int, _ a: inout UnsafeMutableBufferPointer<Float>)
        -> Float
      {
        let gi = step.gradient(g[i])
        let vi = r * v[i] + oneMinusRho * (gi * gi)
        let ai = r * a[i] + oneMinusRho * gi
        v[i] = vi
        a[i] = ai
        return (lr * gi) / (vi - ai * ai + eps).squareRoot()
      }
      switch (momentumSlot, averageSlot) {
      case (nil, nil):
        for i in 0..<n { w[i] = step.decayed(w[i]) - plainStep(i) }
      case (let momentumSlot?, nil):
        momentumSlot.update { m in
          for i in 0..<n {
            let mi = mu * m[i] + plainStep(i)
            m[i] = mi
            w[i] = step.decayed(w[i]) - mi
          }
        }
      case (nil, let averageSlot?):
        averageSlot.update { a in
          for i in 0..<n { w[i] = step.decayed(w[i]) - centeredStep(i, &a) }
        }
      case (let momentumSlot?, let averageSlot?):
        momentumSlot.update { m in
          averageSlot.update { a in
            for i in 0..<n {
              let mi = mu * m[i] + centeredStep(i, &a)
              m[i] = mi
              w[i] = step.decayed(w[i]) - mi
            }
          }
        }
      }
    }
  }

  /// `rho`, `momentum`, `epsilon` and `centered`.
  public override func extraConfig() -> [String: ConfigValue] {
    [
      "rho": .double(rho), "momentum": .double(momentum), "epsilon": .double(epsilon),
      "centered": .bool(centered),
    ]
  }
}
