import SwiftKerasCore

// Typed shorthands, so `.adam(learningRate: 1e-3)` reads like Keras's
// `keras.optimizers.Adam(learning_rate=1e-3)` wherever an optimizer is expected.

extension OptimizerConvertible where Self == SGD {
  /// ``SGD`` with the given options: `try model.compile(optimizer: .sgd(momentum: 0.9), …)`.
  public static func sgd(
    learningRate: Float = 0.01, momentum: Double = 0, nesterov: Bool = false,
    weightDecay: Double? = nil
  ) throws -> SGD {
    try SGD(
      learningRate: learningRate, momentum: momentum, nesterov: nesterov, weightDecay: weightDecay)
  }
}

extension OptimizerConvertible where Self == Adam {
  /// ``Adam`` with the given options: `try model.compile(optimizer: .adam(), …)`.
  public static func adam(
    learningRate: Float = 0.001, beta1: Double = 0.9, beta2: Double = 0.999,
    epsilon: Double = 1e-7, amsgrad: Bool = false, weightDecay: Double? = nil
  ) throws -> Adam {
    try Adam(
      learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon, amsgrad: amsgrad,
      weightDecay: weightDecay)
  }
}

extension OptimizerConvertible where Self == AdamW {
  /// ``AdamW`` with the given options.
  public static func adamW(
    learningRate: Float = 0.001, weightDecay: Double = 0.004, beta1: Double = 0.9,
    beta2: Double = 0.999, epsilon: Double = 1e-7, amsgrad: Bool = false
  ) throws -> AdamW {
    try AdamW(
      learningRate: learningRate, weightDecay: weightDecay, beta1: beta1, beta2: beta2,
      epsilon: epsilon, amsgrad: amsgrad)
  }
}

extension OptimizerConvertible where Self == RMSprop {
  /// ``RMSprop`` with the given options.
  public static func rmsprop(
    learningRate: Float = 0.001, rho: Double = 0.9, momentum: Double = 0, epsilon: Double = 1e-7,
    centered: Bool = false, weightDecay: Double? = nil
  ) throws -> RMSprop {
    try RMSprop(
      learningRate: learningRate, rho: rho, momentum: momentum, epsilon: epsilon,
      centered: centered, weightDecay: weightDecay)
  }
}

extension OptimizerConvertible where Self == Adagrad {
  /// ``Adagrad`` with the given options.
  public static func adagrad(
    learningRate: Float = 0.001, initialAccumulatorValue: Double = 0.1, epsilon: Double = 1e-7,
    weightDecay: Double? = nil
  ) throws -> Adagrad {
    try Adagrad(
      learningRate: learningRate, initialAccumulatorValue: initialAccumulatorValue,
      epsilon: epsilon, weightDecay: weightDecay)
  }
}

extension OptimizerConvertible where Self == Adadelta {
  /// ``Adadelta`` with the given options.
  public static func adadelta(
    learningRate: Float = 0.001, rho: Double = 0.95, epsilon: Double = 1e-7,
    weightDecay: Double? = nil
  ) throws -> Adadelta {
    try Adadelta(learningRate: learningRate, rho: rho, epsilon: epsilon, weightDecay: weightDecay)
  }
}

extension OptimizerConvertible where Self == Adamax {
  /// ``Adamax`` with the given options.
  public static func adamax(
    learningRate: Float = 0.001, beta1: Double = 0.9, beta2: Double = 0.999,
    epsilon: Double = 1e-7, weightDecay: Double? = nil
  ) throws -> Adamax {
    try Adamax(
      learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
      weightDecay: weightDecay)
  }
}

extension OptimizerConvertible where Self == Nadam {
  /// ``Nadam`` with the given options.
  public static func nadam(
    learningRate: Float = 0.001, beta1: Double = 0.9, beta2: Double = 0.999,
    epsilon: Double = 1e-7, weightDecay: Double? = nil
  ) throws -> Nadam {
    try Nadam(
      learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
      weightDecay: weightDecay)
  }
}

extension OptimizerConvertible where Self == Lion {
  /// ``Lion`` with the given options.
  public static func lion(
    learningRate: Float = 0.001, beta1: Double = 0.9, beta2: Double = 0.99,
    weightDecay: Double? = nil
  ) throws -> Lion {
    try Lion(learningRate: learningRate, beta1: beta1, beta2: beta2, weightDecay: weightDecay)
  }
}
