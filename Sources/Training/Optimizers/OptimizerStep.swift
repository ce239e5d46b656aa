import SwiftKerasCore

/// What one optimizer step needs for one variable, handed to
/// ``BaseOptimizer/update(variable:gradient:slots:step:)``: the learning rate, the step
/// number, and the per-element gradient clipping and weight decay, meant to be fused
/// into the update's single pass.
///
/// ```swift
/// let g = step.gradient(gradient[i])   // clipped as configured
/// var x = step.decayed(weights[i])     // weight decay, before the update
/// ```
public struct OptimizerStep {
  /// How gradient elements are transformed before use.
  @usableFromInline
  enum Clipping {
    case none
    /// `g * numerator / denominator` (Keras's `clipnorm`).
    case byNorm(numerator: Float, denominator: Float)
    /// `g * scale` (Keras's `global_clipnorm`).
    case byScale(Float)
    /// `min(max(g, -limit), limit)` (Keras's `clipvalue`).
    case byValue(Float)
  }

  /// The learning rate of this step (a schedule's value at ``iteration``).
  public let learningRate: Float
  /// The optimizer's ``Optimizer/iterations`` before this step (0 for the first step).
  public let iteration: Int
  /// The weight decay applied to this variable, or 0.
  public let weightDecay: Float
  @usableFromInline let decays: Bool
  @usableFromInline let clipping: Clipping

  @usableFromInline
  init(learningRate: Float, iteration: Int, weightDecay: Float?, clipping: Clipping) {
    self.learningRate = learningRate
    self.iteration = iteration
    self.weightDecay = weightDecay ?? 0
    self.decays = weightDecay != nil
    self.clipping = clipping
  }

  /// The gradient element after clipping (clipnorm, global_clipnorm or clipvalue).
  /// Whether gradients pass unclipped and no weight decay applies, so update loops can
  /// run without per-element branches (and vectorise).
  @inlinable
  public var isPlain: Bool {
    if case .none = clipping { return !decays }
    return false
  }

  @inlinable @inline(__always)
  public func gradient(_ g: Float) -> Float {
    switch clipping {
    case .none: return g
    case .byNorm(let numerator, let denominator): return g * numerator / denominator
    case .byScale(let scale): return g * scale
    case .byValue(let limit): return Swift.min(Swift.max(g, -limit), limit)
    }
  }

  /// The variable element after weight decay, Keras's
  /// `variable - variable * weight_decay * learning_rate` (unchanged without decay).
  @inlinable @inline(__always)
  public func decayed(_ x: Float) -> Float {
    decays ? x - x * weightDecay * learningRate : x
  }
}
