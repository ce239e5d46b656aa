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

  /// Resolves every identifier once, so `compile(optimizer: "adma", ...)` throws where it
  /// is written rather than at the first `fit`. Metrics whose kind depends on the data
  /// (`"accuracy"`) are only checked for being known names here.
  func validateIdentifiers() throws {
    _ = try optimizer.makeOptimizer()
    for loss in Array(losses.values) + [sharedLoss].compactMap({ $0 }) {
      _ = try loss.makeLossFunction()
    }
    let allMetrics = metrics.values.flatMap { $0 } + sharedMetrics + weightedMetrics
    for metric in allMetrics {
      do {
        _ = try metric.makeMetric(lossName: nil, yTrueShape: [2, 2], yPredShape: [2, 2])
      } catch let error as SwiftKerasError where error.kind == .unknownIdentifier {
        throw error
      } catch {
        // Shape-dependent checks wait for the data.
      }
    }
  }
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

  /// The loss trackers and every metric, in a fixed order.
  var allMetrics: [any Metric] {
    var all: [any Metric] = [lossTracker]
    for output in outputs {
      if let tracker = output.lossTracker { all.append(tracker) }
      all += output.metrics + output.weightedMetrics
    }
    return all
  }

  func resetMetrics() {
    lossTracker.reset()
    for output in outputs {
      output.metrics.forEach { $0.reset() }
      output.weightedMetrics.forEach { $0.reset() }
      output.lossTracker?.reset()
    }
  }

  /// The current values of every metric, keyed and ordered as Keras 3 logs them (its
  /// `pythonify_logs` sorts the names).
  func logs() -> Logs {
    var logs: Logs = ["loss": lossTracker.result()]
    for output in outputs {
      if let tracker = output.lossTracker { logs[tracker.name] = tracker.result() }
      for metric in output.metrics + output.weightedMetrics { logs[metric.name] = metric.result() }
    }
    logs.sort { $0.key < $1.key }
    return logs
  }
}
