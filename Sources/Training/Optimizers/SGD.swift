import SwiftKerasCore

/// Gradient descent with optional (Nesterov) momentum, as `keras.optimizers.SGD`.
///
/// Without momentum: `w -= lr * g`. With momentum: `m = momentum * m - lr * g`, then
/// `w += m` (or `w += momentum * m - lr * g` with `nesterov`).
///
/// ```swift
/// let sgd = try SGD(learningRate: 0.1, momentum: 0.9, nesterov: true)
/// ```
public final class SGD: BaseOptimizer {
  /// The momentum factor in [0, 1]; 0 disables the momentum slot.
  public let momentum: Double
  /// Whether Nesterov momentum is used.
  public let nesterov: Bool

  /// Creates SGD (Keras defaults: 0.01, no momentum). `learningRate` is a number or a
  /// ``LearningRateSchedule``.
  ///
  /// - Throws: ``SwiftKerasError`` when `momentum` is outside [0, 1] or several clipping
  ///   options are set.
  public convenience init(
    learningRate: some LearningRateConvertible = Float(0.01), momentum: Double = 0,
    nesterov: Bool = false, weightDecay: Double? = nil, clipnorm: Double? = nil,
    clipvalue: Double? = nil, globalClipnorm: Double? = nil, name: String = "sgd"
  ) throws {
    try self.init(
      learningRateValue: learningRate.learningRateValue, momentum: momentum, nesterov: nesterov,
      weightDecay: weightDecay, clipnorm: clipnorm, clipvalue: clipvalue,
      globalClipnorm: globalClipnorm, name: name)
  }

  /// Creates SGD from a constant or scheduled learning rate.
  public init(
    learningRateValue: LearningRateValue, momentum: Double = 0, nesterov: Bool = false,
    weightDecay: Double? = nil, clipnorm: Double? = nil, clipvalue: Double? = nil,
    globalClipnorm: Double? = nil, name: String = "sgd"
  ) throws {
    guard momentum >= 0, momentum <= 1 else {
      throw SwiftKerasError(
        .invalidArgument,
        "`momentum` must be a float between [0, 1]. Received: momentum=\(momentum)")
    }
    self.momentum = momentum
    self.nesterov = nesterov
    try super.init(
      learningRate: learningRateValue, name: name, weightDecay: weightDecay, clipnorm: clipnorm,
      clipvalue: clipvalue, globalClipnorm: globalClipnorm)
  }

  /// One `momentum` slot per variable when `momentum != 0`.
  public override var slotGroups: [SlotGroup] { momentum != 0 ? [SlotGroup(["momentum"])] : [] }

  /// The fused SGD update.
  public override func update(
    variable: Variable, gradient: Tensor, slots: [Variable], step: OptimizerStep
  ) {
    let lr = step.learningRate
    gradient.withUnsafeBufferPointer { g in
      variable.update { w in
        let n = w.count
        if momentum == 0 {
          for i in 0..<n { w[i] = step.decayed(w[i]) - step.gradient(g[i]) * lr }
          return
        }
        let mu = Float(momentum)
        slots[0].update { m in
          if nesterov {
            for i in 0..<n {
              let gi = step.gradient(g[i])
              let mi = m[i] * mu - gi * lr
              m[i] = mi
              w[i] = step.decayed(w[i]) + (mi * mu - gi * lr)
            }
          } else {
            for i in 0..<n {
              let mi = m[i] * mu - step.gradient(g[i]) * lr
              m[i] = mi
              w[i] = step.decayed(w[i]) + mi
            }
          }
        }
      }
    }
  }

  /// `momentum` and `nesterov`.
  public override func extraConfig() -> [String: ConfigValue] {
    ["momentum": .double(momentum), "nesterov": .bool(nesterov)]
  }
}
