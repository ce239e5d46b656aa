import SwiftKerasCore

/// A learning rate as an optimizer takes it: a constant or a ``LearningRateSchedule``,
/// as Keras's `learning_rate` argument accepts either.
public enum LearningRateValue {
  /// A fixed rate (stored in float32, as Keras's `learning_rate` variable).
  case constant(Float)
  /// A rate evaluated at the optimizer's ``Optimizer/iterations`` before each step.
  case schedule(LearningRateSchedule)
}
