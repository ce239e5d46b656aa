import SwiftKerasCore

/// What `compile` was given, resolved lazily so that an unknown identifier surfaces as a
/// thrown error from `fit`, `evaluate` or `trainOnBatch`, before any step runs.
struct CompileConfiguration {
  var optimizer: any OptimizerConvertible
  /// One loss per output, or one for all (`nil` keys mean "every output").
  var losses: [String: any LossConvertible]
  var sharedLoss: (any LossConvertible)?
  var metrics: [String: [any MetricConvertible]]
  var sharedMetrics: [any MetricConvertible]
  var weightedMetrics: [any MetricConvertible]
  var lossWeights: [String: Float]
  var sharedLossWeights: [Float]?
}

/// The resolved training setup: one loss, weight and metric list per output.
final class CompiledTraining {
  struct Output {
    var name: String
    var loss: (any Loss)?
    var lossWeight: Float
    var metrics: [any Metric]
    var weightedMetrics: [any Metric]
    var lossTracker: Mean?
  }

  var outputs: [Output]
  let lossTracker = Mean(name: "loss")

  init(outputs: [Output]) {
    self.outputs = outputs
  }

  func resetMetrics() {
    lossTracker.reset()
    for output in outputs {
      output.metrics.forEach { $0.reset() }
      output.weightedMetrics.forEach { $0.reset() }
      output.lossTracker?.reset()
    }
  }

  /// The current values of every metric, keyed as Keras logs them.
  func logs() -> Logs {
    var logs: Logs = ["loss": lossTracker.result()]
    for output in outputs {
      if let tracker = output.lossTracker { logs[tracker.name] = tracker.result() }
      for metric in output.metrics + output.weightedMetrics { logs[metric.name] = metric.result() }
    }
    return logs
  }
}
