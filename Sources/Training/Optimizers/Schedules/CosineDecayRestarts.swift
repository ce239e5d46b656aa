import Foundation
import SwiftKerasCore

/// A cosine decay with warm restarts (SGDR), as
/// `keras.optimizers.schedules.CosineDecayRestarts`.
///
/// The first period lasts `firstDecaySteps`; each following period is `tMul` times
/// longer and starts `mMul` times lower. Within a period the rate follows a cosine from
/// its start down to `alpha` times the initial rate.
///
/// ```swift
/// let schedule = try CosineDecayRestarts(initialLearningRate: 0.1, firstDecaySteps: 1000)
/// ```
public struct CosineDecayRestarts: LearningRateSchedule {
  /// The rate at step 0.
  public var initialLearningRate: Double
  /// The length of the first period.
  public var firstDecaySteps: Int
  /// The factor by which each period is longer than the previous one.
  public var tMul: Double
  /// The factor by which each period starts lower than the previous one.
  public var mMul: Double
  /// The minimum rate as a fraction of `initialLearningRate`.
  public var alpha: Double
  /// The schedule's name.
  public var name: String

  /// Creates the schedule.
  ///
  /// - Throws: ``SwiftKerasError`` when `firstDecaySteps <= 0`.
  public init(
    initialLearningRate: Double, firstDecaySteps: Int, tMul: Double = 2.0, mMul: Double = 1.0,
    alpha: Double = 0, name: String = "SGDRDecay"
  ) throws {
    try validateDecaySteps(firstDecaySteps, argument: "first_decay_steps")
    self.initialLearningRate = initialLearningRate
    self.firstDecaySteps = firstDecaySteps
    self.tMul = tMul
    self.mMul = mMul
    self.alpha = alpha
    self.name = name
  }

  /// The learning rate at `step`, computed in float32 as Keras does.
  public func callAsFunction(step: Int) -> Float {
    let t = Float(tMul)
    let m = Float(mMul)
    let a = Float(alpha)
    var completed = Float(step) / Float(firstDecaySteps)
    let restart: Float
    if t == 1 {
      restart = completed.rounded(.down)
      completed -= restart
    } else {
      restart = (logf(1 - completed * (1 - t)) / logf(t)).rounded(.down)
      let sumR = (1 - powf(t, restart)) / (1 - t)
      completed = (completed - sumR) / powf(t, restart)
    }
    let factor = powf(m, restart)
    // Float(Double.pi) is pi rounded to nearest, as float32 in Keras (Float.pi rounds down).
    let cosine = 0.5 * factor * (1 + cosf(Float(Double.pi) * completed))
    let decayed = (1 - a) * cosine + a
    return Float(initialLearningRate) * decayed
  }

  /// The Keras configuration.
  public func getConfig() -> ConfigValue {
    [
      "initial_learning_rate": .double(initialLearningRate),
      "first_decay_steps": .int(firstDecaySteps), "t_mul": .double(tMul), "m_mul": .double(mMul),
      "alpha": .double(alpha), "name": .string(name),
    ]
  }
}
