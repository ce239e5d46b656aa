import SwiftKerasCore

/// A learning rate that changes with the training step, as
/// `keras.optimizers.schedules.LearningRateSchedule`.
///
/// An optimizer created with a schedule evaluates it at its current
/// ``Optimizer/iterations`` (before the step increments the counter), exactly as Keras.
///
/// ```swift
/// let schedule = try ExponentialDecay(initialLearningRate: 0.1, decaySteps: 1000, decayRate: 0.9)
/// let optimizer = try SGD(learningRate: schedule)
/// schedule(step: 2000)   // 0.081
/// ```
public protocol LearningRateSchedule: LearningRateConvertible {
  /// The learning rate at `step` (0 for the first step).
  func callAsFunction(step: Int) -> Float

  /// The configuration with Keras's keys, e.g. `"initial_learning_rate"`.
  func getConfig() -> ConfigValue

  /// The Keras class name written when the schedule is serialized, e.g.
  /// `"ExponentialDecay"`. Defaults to the Swift type's name.
  var kerasClassName: String { get }
}

extension LearningRateSchedule {
  /// The Swift type's name, which for built-in schedules is Keras's class name.
  public var kerasClassName: String { String(describing: type(of: self)) }

  /// The schedule, for an optimizer's `learningRate` argument.
  public var learningRateValue: LearningRateValue { .schedule(self) }

  /// The schedule as Keras serializes it inside an optimizer config:
  /// `{"module": "keras.optimizers.schedules", "class_name": …, "config": …,
  /// "registered_name": null}`.
  public func serialized() -> ConfigValue {
    [
      "module": "keras.optimizers.schedules",
      "class_name": .string(kerasClassName),
      "config": getConfig(),
      "registered_name": nil,
    ]
  }
}

/// Checks a schedule's `decay_steps`-style argument, as Keras does.
func validateDecaySteps(_ value: Int, argument: String) throws {
  guard value > 0 else {
    throw SwiftKerasError(
      .invalidArgument, "Argument `\(argument)` must be > 0. Received: \(argument)=\(value)")
  }
}
