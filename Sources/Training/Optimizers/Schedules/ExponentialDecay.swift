import Foundation
import SwiftKerasCore

/// The formula of ``ExponentialDecay``.
public enum ExponentialDecayFormula: StepDecayFormula {
  /// `"ExponentialDecay"`.
  public static let kerasClassName = "ExponentialDecay"

  /// `initial * decayRate ^ progress`.
  public static func rate(initial: Float, decayRate: Float, progress: Float) -> Float {
    initial * powf(decayRate, progress)
  }
}

/// `initialLearningRate * decayRate ^ (step / decaySteps)`, as
/// `keras.optimizers.schedules.ExponentialDecay`. With `staircase` the exponent is
/// floored, so the rate drops in steps.
///
/// ```swift
/// let schedule = try ExponentialDecay(initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5)
/// schedule(step: 10)   // 0.05
/// ```
public typealias ExponentialDecay = StepDecay<ExponentialDecayFormula>
