import Foundation
import SwiftKerasCore

/// A polynomial decay from `initialLearningRate` to `endLearningRate` over
/// `decaySteps`, as `keras.optimizers.schedules.PolynomialDecay`:
/// `(initial - end) * (1 - step / decaySteps) ^ power + end`. With `cycle` the decay
/// restarts, stretched to the next multiple of `decaySteps`; otherwise the rate stays at
/// `endLearningRate`.
///
/// ```swift
/// let schedule = try PolynomialDecay(initialLearningRate: 0.1, decaySteps: 100)
/// schedule(step: 50)   // 0.05005
/// ```
public struct PolynomialDecay: LearningRateSchedule {
  /// The rate at step 0.
  public var initialLearningRate: Double
  /// The length of the decay.
  public var decaySteps: Int
  /// The rate reached after `decaySteps`.
  public var endLearningRate: Double
  /// The polynomial's power (1 is linear).
  public var power: Double
  /// Whether the decay restarts beyond `decaySteps`.
  public var cycle: Bool
  /// The schedule's name.
  public var name: String

  /// Creates the schedule.
  ///
  /// - Throws: ``SwiftKerasError`` when `decaySteps <= 0`.
  public init(
    initialLearningRate: Double, decaySteps: Int, endLearningRate: Double = 0.0001,
    power: Double = 1.0, cycle: Bool = false, name: String = "PolynomialDecay"
  ) throws {
    try validateDecaySteps(decaySteps, argument: "decay_steps")
    self.initialLearningRate = initialLearningRate
    self.decaySteps = decaySteps
    self.endLearningRate = endLearningRate
    self.power = power
    self.cycle = cycle
    self.name = name
  }

  /// The learning rate at `step`, computed in float32 as Keras does.
  public func callAsFunction(step: Int) -> Float {
    let initial = Float(initialLearningRate)
    let end = Float(endLearningRate)
    var globalStep = Float(step)
    var steps = Float(decaySteps)
    if cycle {
      let multiplier = globalStep == 0 ? 1 : (globalStep / Float(decaySteps)).rounded(.up)
      steps = steps * multiplier
    } else {
      globalStep = min(globalStep, steps)
    }
    let p = globalStep / steps
    return (initial - end) * powf(1 - p, Float(power)) + end
  }

  /// The Keras configuration.
  public func getConfig() -> ConfigValue {
    [
      "initial_learning_rate": .double(initialLearningRate), "decay_steps": .int(decaySteps),
      "end_learning_rate": .double(endLearningRate), "power": .double(power),
      "cycle": .bool(cycle), "name": .string(name),
    ]
  }
}
