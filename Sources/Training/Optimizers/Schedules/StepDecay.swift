import SwiftKerasCore

/// A schedule that decays `initialLearningRate` by `decayRate` once per `decaySteps`, the
/// shape shared by Keras's `ExponentialDecay` and `InverseTimeDecay`: the two differ only
/// in their ``StepDecayFormula``, so ``ExponentialDecay`` and ``InverseTimeDecay`` are this
/// type with theirs.
///
/// ```swift
/// let schedule = try ExponentialDecay(initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5)
/// ```
public struct StepDecay<Formula: StepDecayFormula>: LearningRateSchedule {
  /// The rate at step 0.
  public var initialLearningRate: Double
  /// The number of steps per unit of decay.
  public var decaySteps: Int
  /// How fast the rate decays.
  public var decayRate: Double
  /// Whether `step / decaySteps` is floored, so the rate drops in steps.
  public var staircase: Bool
  /// The schedule's name.
  public var name: String

  /// Creates the schedule.
  ///
  /// - Throws: ``SwiftKerasError`` when `decaySteps <= 0`.
  public init(
    initialLearningRate: Double, decaySteps: Int, decayRate: Double, staircase: Bool = false,
    name: String = Formula.kerasClassName
  ) throws {
    try validateDecaySteps(decaySteps, argument: "decay_steps")
    self.initialLearningRate = initialLearningRate
    self.decaySteps = decaySteps
    self.decayRate = decayRate
    self.staircase = staircase
    self.name = name
  }

  /// The formula's Keras class name, not the generic Swift type's.
  public var kerasClassName: String { Formula.kerasClassName }

  /// The learning rate at `step`, computed in float32 as Keras does.
  public func callAsFunction(step: Int) -> Float {
    var progress = Float(step) / Float(decaySteps)
    if staircase { progress = progress.rounded(.down) }
    return Formula.rate(
      initial: Float(initialLearningRate), decayRate: Float(decayRate), progress: progress)
  }

  /// The Keras configuration.
  public func getConfig() -> ConfigValue {
    [
      "initial_learning_rate": .double(initialLearningRate), "decay_steps": .int(decaySteps),
      "decay_rate": .double(decayRate), "staircase": .bool(staircase), "name": .string(name),
    ]
  }
}

/// How a ``StepDecay`` turns the number of decay periods into a rate.
public protocol StepDecayFormula {
  /// The Keras class name, also the schedule's default name (`"ExponentialDecay"`).
  static var kerasClassName: String { get }

  /// The rate after `progress` periods of `decaySteps` (floored with `staircase`).
  static func rate(initial: Float, decayRate: Float, progress: Float) -> Float
}
