import SwiftKerasCore

/// `initialLearningRate / (1 + decayRate * step / decaySteps)`, as
/// `keras.optimizers.schedules.InverseTimeDecay`. With `staircase` the ratio
/// `step / decaySteps` is floored.
///
/// ```swift
/// let schedule = try InverseTimeDecay(initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5)
/// schedule(step: 20)   // 0.05
/// ```
public struct InverseTimeDecay: LearningRateSchedule {
  /// The rate at step 0.
  public var initialLearningRate: Double
  /// The number of steps per unit of decay.
  public var decaySteps: Int
  /// How fast the rate decays.
  public var decayRate: Double
  /// Whether `step / decaySteps` is floored.
  public var staircase: Bool
  /// The schedule's name.
  public var name: String

  /// Creates the schedule.
  ///
  /// - Throws: ``SwiftKerasError`` when `decaySteps <= 0`.
  public init(
    initialLearningRate: Double, decaySteps: Int, decayRate: Double, staircase: Bool = false,
    name: String = "InverseTimeDecay"
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
    return Float(initialLearningRate) / (1 + Float(decayRate) * p)
  }

  /// The Keras configuration.
  public func getConfig() -> ConfigValue {
    [
      "initial_learning_rate": .double(initialLearningRate), "decay_steps": .int(decaySteps),
      "decay_rate": .double(decayRate), "staircase": .bool(staircase), "name": .string(name),
    ]
  }
}
