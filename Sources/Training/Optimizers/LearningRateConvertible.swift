import SwiftKerasCore

/// What an optimizer's `learningRate` argument accepts, as Keras's `learning_rate` takes a
/// number or a schedule: a `Float` (or a number literal), a ``LearningRateSchedule`` or a
/// ``LearningRateValue``. One initializer per optimizer then serves all of them.
///
/// ```swift
/// let constant = try Adam(learningRate: 1e-3)
/// let scheduled = try Adam(learningRate: ExponentialDecay(
///   initialLearningRate: 0.1, decaySteps: 1000, decayRate: 0.9))
/// ```
public protocol LearningRateConvertible {
  /// The rate as a constant or a schedule.
  var learningRateValue: LearningRateValue { get }
}

extension Float: LearningRateConvertible {
  /// The constant rate.
  public var learningRateValue: LearningRateValue { .constant(self) }
}

// Number literals default to Double and Int, so `Adam(learningRate: 0.01)` and
// `SGD(learningRate: 1)` need them to convert; the rate is stored in float32 either way.
extension Double: LearningRateConvertible {
  /// The constant rate, rounded to float32.
  public var learningRateValue: LearningRateValue { .constant(Float(self)) }
}

extension Int: LearningRateConvertible {
  /// The constant rate, as float32.
  public var learningRateValue: LearningRateValue { .constant(Float(self)) }
}

extension LearningRateValue: LearningRateConvertible {
  /// The value itself.
  public var learningRateValue: LearningRateValue { self }
}
