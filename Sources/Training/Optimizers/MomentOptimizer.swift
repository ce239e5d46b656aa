import SwiftKerasCore

/// What ``Adam``, ``Adamax`` and ``Nadam`` share: the two moment decays and epsilon, with
/// their config keys; Adamax and Nadam also take these initializers as they are (Keras's
/// defaults 0.001, 0.9, 0.999, 1e-7). A subclass names itself in ``defaultName`` and
/// supplies its slots and update.
public class MomentOptimizer: BaseOptimizer {
  /// The decay of the first-moment average.
  public let beta1: Double
  /// The decay of the second-moment average (Adamax: of the infinity norm).
  public let beta2: Double
  /// Added to the denominator for stability.
  public let epsilon: Double

  /// The name an optimizer gets when none is given, as Keras's.
  class var defaultName: String { "" }

  /// Creates the optimizer (Keras defaults: 0.001, 0.9, 0.999, 1e-7); `name` defaults to
  /// the optimizer's Keras name. `learningRate` is a number or a ``LearningRateSchedule``.
  ///
  /// - Throws: ``SwiftKerasError`` when several clipping options are set.
  public convenience init(
    learningRate: some LearningRateConvertible = Float(0.001), beta1: Double = 0.9,
    beta2: Double = 0.999, epsilon: Double = 1e-7, weightDecay: Double? = nil,
    clipnorm: Double? = nil, clipvalue: Double? = nil, globalClipnorm: Double? = nil,
    name: String? = nil
  ) throws {
    try self.init(
      learningRateValue: learningRate.learningRateValue, beta1: beta1, beta2: beta2,
      epsilon: epsilon, weightDecay: weightDecay, clipnorm: clipnorm, clipvalue: clipvalue,
      globalClipnorm: globalClipnorm, name: name)
  }

  /// Creates the optimizer from a constant or scheduled learning rate.
  public init(
    learningRateValue: LearningRateValue, beta1: Double = 0.9, beta2: Double = 0.999,
    epsilon: Double = 1e-7, weightDecay: Double? = nil, clipnorm: Double? = nil,
    clipvalue: Double? = nil, globalClipnorm: Double? = nil, name: String? = nil
  ) throws {
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    try super.init(
      learningRate: learningRateValue, name: name ?? Self.defaultName, weightDecay: weightDecay,
      clipnorm: clipnorm, clipvalue: clipvalue, globalClipnorm: globalClipnorm)
  }

  /// `beta_1`, `beta_2` and `epsilon`.
  public override func extraConfig() -> [String: ConfigValue] {
    ["beta_1": .double(beta1), "beta_2": .double(beta2), "epsilon": .double(epsilon)]
  }
}
