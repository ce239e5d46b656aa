import SwiftKerasCore

/// What ``BatchNormalization`` and ``LayerNormalization`` share: the learned offset
/// `beta` and scale `gamma`, whether each is used, and the epsilon added to the variance.
public class BaseNormalization: Layer {
  /// Added to the variance before the square root.
  @Config public var epsilon: Float = 1e-3
  /// Whether the learned offset `beta` is added.
  @Config public var center = true
  /// Whether the learned scale `gamma` multiplies.
  @Config public var scale = true
  /// How `beta` is initialised, regularized and constrained.
  @Config("beta") public var betaOptions = WeightOptions(initializer: Zeros())
  /// How `gamma` is initialised, regularized and constrained.
  @Config("gamma") public var gammaOptions = WeightOptions(initializer: Ones())

  /// Sets the arguments both normalizations' initializers take.
  func setNormalizationArguments(
    epsilon: Float, center: Bool, scale: Bool, beta: WeightOptions, gamma: WeightOptions
  ) {
    self.epsilon = epsilon
    self.center = center
    self.scale = scale
    betaOptions = beta
    gammaOptions = gamma
  }
}
