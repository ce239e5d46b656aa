import SwiftKerasCore

/// Something `compile` accepts as an optimizer: an identifier string such as `"adam"`,
/// or an optimizer value such as `.adam(learningRate: 1e-3)`.
public protocol OptimizerConvertible {
  /// The optimizer this value names or is.
  func makeOptimizer() throws -> any Optimizer
}

/// Something `compile` accepts as a loss: an identifier string such as
/// `"sparse_categorical_crossentropy"`, or a loss value.
public protocol LossConvertible {
  /// The loss this value names or is.
  func makeLossFunction() throws -> any Loss
}

/// Something `compile` accepts as a metric: an identifier string such as `"accuracy"`,
/// or a metric object.
public protocol MetricConvertible {
  /// The metric this value names or is, given the compiled loss and the shapes of the
  /// targets and predictions (`"accuracy"` depends on them, as in Keras).
  func makeMetric(lossName: String?, yTrueShape: [Int], yPredShape: [Int]) throws -> any Metric
}

extension String: OptimizerConvertible {
  public func makeOptimizer() throws -> any Optimizer { try SwiftKerasTraining.makeOptimizer(self) }
}

extension String: LossConvertible {
  public func makeLossFunction() throws -> any Loss { try makeLoss(self) }
}

extension String: MetricConvertible {
  public func makeMetric(lossName: String?, yTrueShape: [Int], yPredShape: [Int]) throws
    -> any Metric
  {
    switch self {
    case "accuracy", "acc":
      let metric = resolveAccuracy(
        lossName: lossName ?? "", yTrueShape: yTrueShape, yPredShape: yPredShape)
      metric.name = self == "acc" ? "acc" : "accuracy"
      return metric
    default:
      return try SwiftKerasTraining.makeMetric(self)
    }
  }
}

extension Optimizer {
  /// An optimizer stands for itself.
  public func makeOptimizer() throws -> any Optimizer { self }
}

extension Loss {
  /// A loss stands for itself.
  public func makeLossFunction() throws -> any Loss { self }
}

extension Metric {
  /// A metric object stands for itself.
  public func makeMetric(lossName: String?, yTrueShape: [Int], yPredShape: [Int]) throws
    -> any Metric
  {
    self
  }
}
