import Foundation
import SwiftKerasCore

/// A cosine decay with optional linear warmup, as
/// `keras.optimizers.schedules.CosineDecay` (SGDR without restarts).
///
/// Without `warmupTarget` the rate goes from `initialLearningRate` down to
/// `alpha * initialLearningRate` over `decaySteps`. With `warmupTarget` it first rises
/// linearly from `initialLearningRate` to `warmupTarget` over `warmupSteps`, then decays
/// from `warmupTarget` over `decaySteps`.
///
/// ```swift
/// let schedule = try CosineDecay(initialLearningRate: 0, decaySteps: 1000,
///                                warmupTarget: 0.1, warmupSteps: 100)
/// ```
public struct CosineDecay: LearningRateSchedule {
  /// The rate at step 0.
  public var initialLearningRate: Double
  /// The length of the cosine decay.
  public var decaySteps: Int
  /// The final rate as a fraction of the decayed-from rate.
  public var alpha: Double
  /// The schedule's name.
  public var name: String
  /// The rate reached at the end of the warmup, or nil for no warmup.
  public var warmupTarget: Double?
  /// The length of the linear warmup.
  public var warmupSteps: Int

  /// Creates the schedule.
  ///
  /// - Throws: ``SwiftKerasError`` when `decaySteps <= 0`.
  public init(
    initialLearningRate: Double, decaySteps: Int, alpha: Double = 0, name: String = "CosineDecay",
    warmupTarget: Double? = nil, warmupSteps: Int = 0
  ) throws {
    try validateDecaySteps(decaySteps, argument: "decay_steps")
    self.initialLearningRate = initialLearningRate
    self.decaySteps = decaySteps
    self.alpha = alpha
    self.name = name
    self.warmupTarget = warmupTarget
    self.warmupSteps = warmupSteps
  }

  private func decayed(_ step: Float, decaySteps: Float, from rate: Float) -> Float {
    let completed = step / decaySteps
    // Float(Double.pi) is pi rounded to nearest, as float32 in Keras (Float.pi rounds down).
    let cosine: Float = 0.5 * (1 + cosf(Float(Double.pi) * completed))
    let decayed = Float(1 - alpha) * cosine + Float(alpha)
    return rate * decayed
  }

  /// The learning rate at `step`, computed in float32 as Keras does.
  public func callAsFunction(step: Int) -> Float {
    let initial = Float(initialLearningRate)
    let steps = Float(decaySteps)
    guard let target = warmupTarget.map({ Float($0) }) else {
      return decayed(min(Float(step), steps), decaySteps: steps, from: initial)
    }
    let warmup = Float(warmupSteps)
    let globalStep = min(Float(step), steps + warmup)
    if globalStep < warmup {
      return (target - initial) * (globalStep / warmup) + initial
    }
    return decayed(globalStep - warmup, decaySteps: steps, from: target)
  }

  /// The Keras configuration.
  public func getConfig() -> ConfigValue {
    [
      "initial_learning_rate": .double(initialLearningRate), "decay_steps": .int(decaySteps),
      "alpha": .double(alpha), "name": .string(name),
      "warmup_target": warmupTarget.map { .double($0) } ?? .null,
      "warmup_steps": .int(warmupSteps),
    ]
  }
}
