import SwiftKerasCore
import SwiftKerasLayers
import SwiftKerasTraining

extension Model {
  /// The compiled setup, which `fit`, `evaluate` and the `…OnBatch` calls resolve first.
  private func requireCompiled(_ step: String) throws -> CompiledTraining {
    guard let compiled else {
      throw SwiftKerasError(
        .invalidState,
        "model '\(name)': \(step) runs inside fit, evaluate or trainOnBatch after compile(optimizer:loss:metrics:)"
      )
    }
    return compiled
  }

  func standardTrainStep(_ batch: TrainingBatch) throws -> Logs {
    let compiled = try requireCompiled("trainStep")
    let weights = trainableWeights
    guard batch.count > 0 || dataParallelStep == nil else {
      // A data-parallel rank whose share of a small last batch is empty still takes part
      // in the step's collectives.
      try applyGradients([Tensor?](repeating: nil, count: weights.count), to: weights)
      return try dataParallelStep?.strategy.globalLogs(compiled) ?? compiled.logs()
    }
    let tape = GradientTape()
    var predictions: [Tensor] = []
    defer { stepOutputMasks = [] }
    let total = try tape.record { () throws -> Tensor in
      (predictions, stepOutputMasks) = try predictionsAndMasks(batch.x, training: true)
      return try computeLoss(
        x: batch.x, y: batch.y, yPred: predictions, sampleWeight: batch.sampleWeight)
    }
    let gradients = tape.gradient(of: total, wrt: weights)
    try applyGradients(gradients, to: weights)
    return try computeMetrics(batch, yPred: predictions, loss: total)
  }

  /// Applies one optimizer step and the weight constraints, as Keras's
  /// `optimizer.apply(gradients, trainable_variables)` in a `train_step`. In a
  /// data-parallel `fit` the gradients of every rank are summed first, so a custom
  /// ``trainStep(_:)`` that applies its gradients through this method trains in step.
  ///
  /// ```swift
  /// try applyGradients(tape.gradient(of: loss, wrt: trainableWeights), to: trainableWeights)
  /// ```
  public func applyGradients(_ gradients: [Tensor?], to variables: [Variable]) throws {
    guard let optimizer else {
      throw SwiftKerasError(.invalidState, "model '\(name)' has no optimizer")
    }
    var gradients = gradients
    if let step = dataParallelStep {
      gradients = try step.strategy.sumGradients(
        gradients, of: variables, localCount: step.localCount,
        globalCount: step.globalCount)
    }
    try optimizer.apply(gradients: gradients, to: variables)
    applyConstraints()
  }

  func standardTestStep(_ batch: TrainingBatch) throws -> Logs {
    defer { stepOutputMasks = [] }
    let predictions: [Tensor]
    (predictions, stepOutputMasks) = try predictionsAndMasks(batch.x, training: false)
    let total = try computeLoss(
      x: batch.x, y: batch.y, yPred: predictions, sampleWeight: batch.sampleWeight)
    return try computeMetrics(batch, yPred: predictions, loss: total)
  }

  /// The outputs and their masks for a step. A subclass's own `callOutputs` is called as
  /// it is (its outputs carry no masks); a plain functional or Sequential model runs its
  /// plan, which propagates masks.
  private func predictionsAndMasks(_ x: [Tensor], training: Bool) throws -> (
    [Tensor], [Tensor?]
  ) {
    if type(of: self) == Model.self || type(of: self) == Sequential.self {
      return try outputsAndMasks(x, training: training)
    }
    return (try callOutputs(x, training: training), [])
  }

  func standardComputeLoss(y: [Tensor], yPred: [Tensor], sampleWeight: Tensor?) throws -> Tensor {
    let compiled = try requireCompiled("computeLoss")
    var total: Tensor?
    var perOutput: [Tensor] = []
    for (i, output) in compiled.outputs.enumerated() {
      guard let loss = output.loss else { continue }
      let mask = i < stepOutputMasks.count ? stepOutputMasks[i] : nil
      if let sampleWeight {
        // Per-sample weights must fit the per-position losses (a sequence output's
        // [batch, steps] losses do not take [batch] weights, as in Keras): an error, not
        // a trap in the reduction.
        try loss.validateSampleWeight(sampleWeight, yTrue: y[i], yPred: yPred[i])
      }
      let value = loss(yTrue: y[i], yPred: yPred[i], sampleWeight: sampleWeight, outputMask: mask)
      perOutput.append(value)
      let weighted = output.lossWeight == 1 ? value : value * output.lossWeight
      total = total.map { $0 + weighted } ?? weighted
    }
    lastOutputLosses = perOutput
    var result = total ?? Tensor(0)
    for penalty in losses { result = result + penalty.sum() }
    return result
  }

  /// Updates the loss tracker and the compiled metrics with one batch and returns the
  /// running logs, as Keras's `compute_metrics`; a custom ``trainStep(_:)`` ends with it.
  ///
  /// ```swift
  /// return try computeMetrics(batch, yPred: predictions, loss: loss)
  /// ```
  public func computeMetrics(_ batch: TrainingBatch, yPred: [Tensor], loss: Tensor) throws
    -> Logs
  {
    let compiled = try requireCompiled("computeMetrics")
    defer { lastOutputLosses = [] }
    try updateMetrics(
      batch, predictions: yPred, total: loss, outputLosses: lastOutputLosses, compiled: compiled)
    if let step = dataParallelStep { return try step.strategy.globalLogs(compiled) }
    return compiled.logs()
  }
}
