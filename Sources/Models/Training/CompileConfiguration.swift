import SwiftKerasCore
import SwiftKerasLayers
import SwiftKerasTraining

/// What `compile` was given, resolved lazily so that an unknown identifier surfaces as a
/// thrown error from `fit`, `evaluate` or `trainOnBatch`, before any step runs.
package struct CompileConfiguration {
  package var optimizer: any OptimizerConvertible
  /// One loss per output, or one for all (`nil` keys mean "every output").
  package var losses: [String: any LossConvertible]
  package var sharedLoss: (any LossConvertible)?
  package var metrics: [String: [any MetricConvertible]]
  package var sharedMetrics: [any MetricConvertible]
  package var weightedMetrics: [any MetricConvertible]
  package var lossWeights: [String: Float]
  package var sharedLossWeights: [Float]?
}

/// The resolved training setup: one loss, weight and metric list per output.
package final class CompiledTraining {
  package struct Output {
    package var name: String
    package var loss: (any Loss)?
    package var lossWeight: Float
    package var metrics: [any Metric]
    package var weightedMetrics: [any Metric]
    package var lossTracker: Mean?
  }

  package var outputs: [Output]
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
