import SwiftKerasCore
import SwiftKerasLayers
import SwiftKerasTraining

extension Model {
  /// Configures the model for training, as Keras's `compile`.
  ///
  /// Identifiers are strings as in Keras or typed values:
  ///
  /// ```swift
  /// try model.compile(optimizer: "adam", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"])
  /// try model.compile(optimizer: .adam(learningRate: 1e-3), loss: SparseCategoricalCrossentropy(fromLogits: true))
  /// ```
  ///
  /// An unknown identifier throws here, listing the valid ones; losses and metrics are
  /// matched to the outputs' shapes by the first `fit`, `evaluate` or `trainOnBatch`.
  ///
  /// - Parameters:
  ///   - loss: one loss for every output.
  ///   - metrics: metrics for every output; `"accuracy"` picks binary, categorical or
  ///     sparse categorical accuracy from the loss and shapes, as Keras does.
  ///   - lossWeights: one factor per output for the total loss.
  ///   - weightedMetrics: metrics that take the sample weights into account.
  public func compile(
    optimizer: some OptimizerConvertible = "rmsprop", loss: some LossConvertible,
    metrics: [any MetricConvertible] = [], lossWeights: [Float]? = nil,
    weightedMetrics: [any MetricConvertible] = []
  ) throws {
    try setCompileConfiguration(
      CompileConfiguration(
        optimizer: optimizer, losses: [:], sharedLoss: loss, metrics: [:], sharedMetrics: metrics,
        weightedMetrics: weightedMetrics, lossWeights: [:], sharedLossWeights: lossWeights))
  }

  /// Configures a multi-output model with a loss, weight and metrics per output name.
  ///
  /// ```swift
  /// try model.compile(optimizer: "adam",
  ///               losses: ["class": "sparse_categorical_crossentropy", "box": "mse"],
  ///               metrics: ["class": ["accuracy"]], lossWeights: ["class": 1, "box": 0.5])
  /// ```
  public func compile(
    optimizer: some OptimizerConvertible = "rmsprop", losses: [String: any LossConvertible],
    metrics: [String: [any MetricConvertible]] = [:], lossWeights: [String: Float] = [:],
    weightedMetrics: [any MetricConvertible] = []
  ) throws {
    try setCompileConfiguration(
      CompileConfiguration(
        optimizer: optimizer, losses: losses, sharedLoss: nil, metrics: metrics, sharedMetrics: [],
        weightedMetrics: weightedMetrics, lossWeights: lossWeights, sharedLossWeights: nil))
  }

  /// Configures a multi-output model with one loss per output, in output order.
  public func compile(
    optimizer: some OptimizerConvertible = "rmsprop", losses: [any LossConvertible],
    metrics: [[any MetricConvertible]] = [], lossWeights: [Float]? = nil,
    weightedMetrics: [any MetricConvertible] = []
  ) throws {
    let names = outputNames
    var byName: [String: any LossConvertible] = [:]
    var metricsByName: [String: [any MetricConvertible]] = [:]
    for (i, loss) in losses.enumerated() {
      byName[i < names.count ? names[i] : "output_\(i)"] = loss
    }
    for (i, list) in metrics.enumerated() {
      metricsByName[i < names.count ? names[i] : "output_\(i)"] = list
    }
    try setCompileConfiguration(
      CompileConfiguration(
        optimizer: optimizer, losses: byName, sharedLoss: nil, metrics: metricsByName,
        sharedMetrics: [], weightedMetrics: weightedMetrics, lossWeights: [:],
        sharedLossWeights: lossWeights))
  }

  private func setCompileConfiguration(_ configuration: CompileConfiguration) throws {
    try configuration.validateIdentifiers()
    compileConfiguration = configuration
    compiled = nil
    optimizer = nil
  }

  /// Whether `compile` has been called.
  public var isCompiled: Bool { compileConfiguration != nil }

  /// The metric objects that produce the logs, as Keras's `model.metrics`: the loss
  /// tracker, then each output's loss tracker and metrics. Empty until the first `fit`,
  /// `evaluate` or `trainOnBatch` resolves what `compile` was given.
  public var metrics: [any Metric] {
    guard let compiled else { return [] }
    var all: [any Metric] = [compiled.lossTracker]
    for output in compiled.outputs {
      if let tracker = output.lossTracker { all.append(tracker) }
      all += output.metrics + output.weightedMetrics
    }
    return all
  }

  /// The names of the outputs: the producing layers' names, as Keras's `output_names`.
  public var outputNames: [String] {
    if isFunctional { return outputs.map { $0.node.layer.name } }
    if case .stack = architecture, let last = layers.last { return [last.name] }
    return ["output_1"]
  }

  /// The names of the inputs.
  public var inputNames: [String] { inputs.map { $0.name } }

  /// Resolves compile's identifiers against the shapes of a batch of targets and
  /// predictions; throws on an unknown identifier or a missing output key.
  func resolveCompiled(yTrue: [Tensor], yPred: [Tensor]) throws -> CompiledTraining {
    if let compiled { return compiled }
    guard let configuration = compileConfiguration else {
      throw SwiftKerasError(
        .invalidState,
        "model '\(name)' must be compiled before training or evaluating: call compile(optimizer:loss:metrics:) first"
      )
    }
    let names = outputNames
    guard yPred.count == names.count else {
      throw SwiftKerasError(
        .invalidState,
        "model '\(name)' produced \(yPred.count) outputs for \(names.count) output names")
    }
    for key in configuration.losses.keys where !names.contains(key) {
      throw SwiftKerasError(
        .invalidArgument,
        "compile: loss given for unknown output '\(key)'; outputs: \(names.joined(separator: ", "))"
      )
    }
    for key in configuration.metrics.keys where !names.contains(key) {
      throw SwiftKerasError(
        .invalidArgument,
        "compile: metrics given for unknown output '\(key)'; outputs: \(names.joined(separator: ", "))"
      )
    }
    if let weights = configuration.sharedLossWeights, weights.count != names.count {
      throw SwiftKerasError(
        .invalidArgument, "compile: \(weights.count) loss weights for \(names.count) outputs")
    }
    let resolvedOptimizer = try configuration.optimizer.makeOptimizer()
    let multiple = names.count > 1
    var outputs: [CompiledTraining.Output] = []
    for (i, outputName) in names.enumerated() {
      let lossSpec = configuration.sharedLoss ?? configuration.losses[outputName]
      guard let lossSpec else {
        throw SwiftKerasError(
          .invalidArgument,
          "compile: no loss for output '\(outputName)'; losses were given for: \(configuration.losses.keys.sorted().joined(separator: ", "))"
        )
      }
      let loss = try lossSpec.makeLossFunction()
      let trueShape = i < yTrue.count ? yTrue[i].shape : []
      let predShape = yPred[i].shape
      let metricSpecs = configuration.metrics[outputName] ?? configuration.sharedMetrics
      let prefix = multiple ? "\(outputName)_" : ""
      let metrics = try metricSpecs.map { spec -> any Metric in
        let metric = try spec.makeMetric(
          lossName: loss.name, yTrueShape: trueShape, yPredShape: predShape)
        metric.name = prefix + metric.name
        return metric
      }
      let weighted = try configuration.weightedMetrics.map { spec -> any Metric in
        let metric = try spec.makeMetric(
          lossName: loss.name, yTrueShape: trueShape, yPredShape: predShape)
        metric.name = prefix + "weighted_" + metric.name
        return metric
      }
      let weight = configuration.sharedLossWeights?[i] ?? configuration.lossWeights[outputName] ?? 1
      outputs.append(
        CompiledTraining.Output(
          name: outputName, loss: loss, lossWeight: weight, metrics: metrics,
          weightedMetrics: weighted,
          lossTracker: multiple ? Mean(name: "\(outputName)_loss") : nil))
    }
    let result = CompiledTraining(outputs: outputs)
    optimizer = resolvedOptimizer
    compiled = result
    return result
  }
}
