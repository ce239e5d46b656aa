import SwiftKerasCore

/// The formula of ``InverseTimeDecay``.
public enum InverseTimeDecayFormula: StepDecayFormula {
  /// `"InverseTimeDecay"`.
  public static let kerasClassName = "InverseTimeDecay"

  /// `initial / (1 + decayRate * progress)`.
  public static func rate(initial: Float, decayRate: Float, progress: Float) -> Float {
    initial / (1 + decayRate * progress)
  }
}

/// `initialLearningRate / (1 + decayRate * step / decaySteps)`, as
/// `keras.optimizers.schedules.InverseTimeDecay`. With `staircase` the ratio
/// `step / decaySteps` is floored.
///
/// ```swift
/// let schedule = try InverseTimeDecay(initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5)
/// schedule(step: 20)   // 0.05
/// ```
public typealias InverseTimeDecay = StepDecay<InverseTimeDecayFormula>
