import Foundation
import SwiftKerasCore

/// `initialLearningRate * decayRate ^ (step / decaySteps)`, as
/// `keras.optimizers.schedules.ExponentialDecay`. With `staircase` the exponent is
/// floored, so the rate drops in steps.
///
/// ```swift
/// let schedule = try ExponentialDecay(initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5)
/// schedule(step: 10)   // 0.05
/// ```
public struct ExponentialDecay: LearningRateSchedule {
  /// The rate at step 0.
  public var initialLearningRate: Double
  /// The number of steps over which the rate is multiplied by `decayRate`.
  public var decaySteps: Int
  /// The factor applied every `decaySteps` steps.
  public var decayRate: Double
  /// Whether the exponent is floored (a step function).
  public var staircase: Bool
  /// The schedule's name.
  public var name: String

  /// Creates the schedule.
  ///
  /// - Throws: ``SwiftKerasError`` when `decaySteps <= 0`.
  public init(
    initialLearningRate: Double, decaySteps: Int, decayRate: Double, staircase: Bool = false,
    name: String = "ExponentialDecay"
  ) throws {
    try validateDecaySteps(decaySteps, argument: "decay_steps")
    self.initialLearningRate = initialLearningRate
    self.decaySteps = decaySteps
    self.decayRate = decayRate
    self.staircase = staircase
    self.name = name
  }

  /// The learning rate at `step`, computed in float32 as Keras does.
  public func callAsFunction(step: Int) -> Float {
    var p = Float(step) / Float(decaySteps)
    if staircase { p = p.rounded(.down) }
    return Float(initialLearningRate) * powf(Float(decayRate), p)
  }

  /// The Keras configuration.
  public func getConfig() -> ConfigValue {
    [
      "initial_learning_rate": .double(initialLearningRate), "decay_steps": .int(decaySteps),
      "decay_rate": .double(decayRate), "staircase": .bool(staircase), "name": .string(name),
    ]
  }
}
