import SwiftKerasCore
import SwiftKerasLayers
import SwiftKerasModels
import SwiftKerasTraining

/// A loss, metric or optimizer identifier as Keras writes it in `compile_config`.
private func identifier(_ value: Any) -> ConfigValue {
  if let text = value as? String { return .string(text) }
  if let loss = value as? any Loss { return .string(loss.name) }
  if let metric = value as? any Metric { return serializedMetric(metric) }
  return nil
}

extension Model {
  /// Keras's `compile_config` for a compiled model (`nil` when not compiled): the
  /// serialized optimizer, the loss and metrics identifiers and the loss weights.
  func compileConfig() throws -> ConfigValue? {
    guard let configuration = compileConfiguration else { return nil }
    let optimizer = try self.optimizer ?? configuration.optimizer.makeOptimizer()
    let loss: ConfigValue =
      configuration.sharedLoss.map(identifier)
      ?? .object(configuration.losses.mapValues(identifier))
    let metrics: ConfigValue =
      configuration.metrics.isEmpty
      ? (configuration.sharedMetrics.isEmpty
        ? nil : .array(configuration.sharedMetrics.map(identifier)))
      : .object(configuration.metrics.mapValues { .array($0.map(identifier)) })
    let lossWeights: ConfigValue =
      configuration.sharedLossWeights.map { .array($0.map { .double(Double($0)) }) }
      ?? (configuration.lossWeights.isEmpty
        ? nil : .object(configuration.lossWeights.mapValues { .double(Double($0)) }))
    return [
      "optimizer": optimizer.serialized(), "loss": loss, "loss_weights": lossWeights,
      "metrics": metrics,
      "weighted_metrics": configuration.weightedMetrics.isEmpty
        ? nil : .array(configuration.weightedMetrics.map(identifier)),
      "run_eagerly": false, "steps_per_execution": 1, "jit_compile": false,
    ]
  }

  /// Compiles the model from a Keras `compile_config`, with `optimizer` (already made
  /// from the config, so its restored state is the one training uses).
  func compile(fromConfig config: ConfigValue, optimizer: any Optimizer) throws {
    func strings(_ value: ConfigValue?, what: String) throws -> [any MetricConvertible] {
      guard let value, value != .null else { return [] }
      guard let list = value.arrayValue else {
        throw SwiftKerasError(
          .invalidData, "compile_config '\(what)' must be a list, found \(value)")
      }
      return try list.map { item -> any MetricConvertible in
        // Identifiers stay identifiers ("accuracy" is resolved against the loss later);
        // serialized metric objects come back with their arguments.
        if let name = item.stringValue { return name }
        return try makeMetric(config: item)
      }
    }
    func lossName(_ value: ConfigValue) throws -> String {
      if let name = value.stringValue ?? value["config"]?["name"]?.stringValue { return name }
      throw SwiftKerasError(.invalidData, "compile_config 'loss' \(value) is not an identifier")
    }
    let metrics = try strings(config["metrics"], what: "metrics")
    let weighted = try strings(config["weighted_metrics"], what: "weighted_metrics")
    let lossWeights = config["loss_weights"]?.arrayValue?.compactMap {
      $0.doubleValue.map { Float($0) }
    }
    guard let loss = config["loss"], loss != .null else {
      throw SwiftKerasError(.invalidData, "compile_config has no 'loss'")
    }
    if let byOutput = loss.objectValue {
      try compile(
        optimizer: optimizer,
        losses: try byOutput.mapValues(lossName) as [String: any LossConvertible],
        weightedMetrics: weighted)
    } else {
      try compile(
        optimizer: optimizer, loss: try lossName(loss), metrics: metrics, lossWeights: lossWeights,
        weightedMetrics: weighted)
    }
  }
}
