import Foundation
import SwiftKerasCore
import SwiftKerasDatasets
import SwiftKerasLayers
import SwiftKerasTraining

extension Model {
  // MARK: - fit on a Dataset

  /// Trains the model on a batched ``Dataset``, as Keras's `fit(dataset)`.
  ///
  /// ```swift
  /// let pipeline = Dataset(x: xTrain, y: yTrain).shuffle().batch(32).prefetch(2)
  /// try model.fit(pipeline, epochs: 5, validationData: Dataset(x: xTest, y: yTest).batch(256))
  /// ```
  ///
  /// Each epoch is one pass over the dataset (its shuffles draw a new order per epoch from
  /// the fit's shuffle seed). With `stepsPerEpoch` one pass runs on across epochs, as in
  /// Keras — the way to train on an endless `repeat()`ed stream; if the data runs out
  /// before `stepsPerEpoch × epochs` batches, training stops with a warning.
  ///
  /// Every batch's targets are checked against the losses before its step (a label out of
  /// range throws naming the output); the first batch is read once before training to
  /// build and check the model.
  ///
  /// - Parameters:
  ///   - validationData: a batched dataset evaluated after each `validationFreq` epochs.
  ///   - validationSteps: batches of `validationData` per evaluation; by default all.
  ///   - classWeight: a weight per class index, multiplied into each batch's weights.
  ///   - distribution: train data-parallel (``DataParallel``): every rank reads the same
  ///     pipeline (same shuffles, from rank 0's seed) and trains on its rows of each
  ///     batch; each rank validates on the whole `validationData`.
  @discardableResult
  public func fit(
    _ data: Dataset, epochs: Int = 1, verbose: Int = 1, callbacks: [Callback] = [],
    validationData: Dataset? = nil, classWeight: [Int: Float]? = nil, initialEpoch: Int = 0,
    stepsPerEpoch: Int? = nil, validationSteps: Int? = nil, validationFreq: Int = 1,
    distribution: DataParallel? = nil
  ) throws -> History {
    try claimFit()
    defer { fitting.store(false, ordering: .releasing) }
    try checkFitArguments(
      epochs: epochs, initialEpoch: initialEpoch, validationFreq: validationFreq, verbose: verbose)
    for (name, steps) in [("stepsPerEpoch", stepsPerEpoch), ("validationSteps", validationSteps)] {
      if let steps, steps <= 0 {
        throw SwiftKerasError(.invalidArgument, "fit: \(name) must be positive, got \(steps)")
      }
    }
    try data.requireBatches(context: "fit")
    try validationData?.requireBatches(context: "fit (validation data)")
    if stepsPerEpoch == nil, data.cardinality == .infinite {
      throw SwiftKerasError(
        .invalidArgument,
        "fit: the dataset is infinite (repeat() without a count); give stepsPerEpoch so each epoch ends"
      )
    }
    let probe = try firstBatch(of: data, context: "fit")
    let compiled = try prepareForTraining(probe, context: "fit")
    guard !trainableWeights.isEmpty else {
      throw SwiftKerasError(
        .invalidState,
        "fit: model '\(name)' has no trainable weights (layers found: \(layers.map(\.name).joined(separator: ", ")), none with trainable weights); keep a subclassed model's layers in stored properties (or pass them to track(_:)), and unfreeze layers to train them"
      )
    }
    let check = try batchChecker(probe: probe, compiled: compiled)
    if let validationData {
      let validationProbe = try firstBatch(of: validationData, context: "fit (validation data)")
      try checkTargets(validationProbe, compiled: compiled, context: "fit (validation data)")
    }
    let cursor = DatasetCursor(data)
    let continues = stepsPerEpoch != nil
    let batches = EpochBatches(
      stepsPerEpoch: stepsPerEpoch ?? data.count,
      beginEpoch: { epoch in
        if !continues || cursor.iterator == nil { try cursor.start(pass: continues ? 0 : epoch) }
      },
      resume: { epoch, step in
        if let stepsPerEpoch {
          // One pass runs on across epochs: the earlier epochs' batches come first.
          try cursor.start(pass: 0)
          _ = try cursor.iterator?.skip((epoch - initialEpoch) * stepsPerEpoch + step)
        } else {
          try cursor.start(pass: epoch)
          _ = try cursor.iterator?.skip(step)
        }
      },
      next: { try cursor.iterator?.next()?.trainingBatch(context: "fit") },
      useSeed: { cursor.seed = $0 })
    let validate: ((CallbackList) throws -> Logs)? = validationData.map { validation in
      { list in
        try self.evaluateDataset(
          validation, steps: validationSteps, callbacks: list, compiled: compiled,
          context: "fit (validation data)")
      }
    }
    if let distribution {
      try distribution.checkAgreement(
        model: self, samples: data.count ?? -1, batchSize: probe.count, epochs: epochs,
        steps: stepsPerEpoch ?? data.count ?? -1, context: "fit")
    }
    // The pipeline's worker threads hold their cores from OpenBLAS for the whole run, so
    // no product's thread count (and rounding) depends on a worker's timing.
    return try ComputeThreads.withPipelineWorkers(
      data.workerThreads + (validationData?.workerThreads ?? 0)
    ) {
      try runEpochs(
        batches, epochs: epochs, initialEpoch: initialEpoch, verbose: verbose,
        callbacks: callbacks, compiled: compiled, validationFreq: validationFreq,
        validate: validate,
        prepareBatch: { batch in
          var batch = batch
          try check(batch, "fit")
          if let classWeight, let labels = batch.y.first {
            let weights = try classSampleWeights(labels, classWeight: classWeight)
            batch.sampleWeight = batch.sampleWeight.map { $0 * weights } ?? weights
          }
          return batch
        },
        afterEpoch: { try data.epochEnded() }, distribution: distribution)
    }
  }

  /// Trains the model on a ``PyDataset``'s batches, calling its `onEpochEnd` after each
  /// epoch, as Keras's `fit(py_dataset)`.
  @discardableResult
  public func fit(
    _ source: any PyDataset, epochs: Int = 1, verbose: Int = 1, callbacks: [Callback] = [],
    validationData: Dataset? = nil, classWeight: [Int: Float]? = nil, initialEpoch: Int = 0,
    stepsPerEpoch: Int? = nil, validationSteps: Int? = nil, validationFreq: Int = 1,
    distribution: DataParallel? = nil
  ) throws -> History {
    try fit(
      Dataset(source), epochs: epochs, verbose: verbose, callbacks: callbacks,
      validationData: validationData, classWeight: classWeight, initialEpoch: initialEpoch,
      stepsPerEpoch: stepsPerEpoch, validationSteps: validationSteps,
      validationFreq: validationFreq, distribution: distribution)
  }

  /// The first batch of a dataset's first pass, checked, to build the model and resolve
  /// the losses before anything trains.
  private func firstBatch(of data: Dataset, context: String) throws -> TrainingBatch {
    let iterator = try data.makeIterator(IterationContext(seed: 0))
    guard let first = try iterator.next() else {
      throw SwiftKerasError(.invalidArgument, "\(context): the dataset yields no batches")
    }
    let batch = try first.trainingBatch(context: context)
    try batch.validate(context: context)
    return batch
  }

  /// A check of each batch against the losses (shapes, label ranges) before its step, so
  /// bad data in the middle of a stream throws instead of training on garbage.
  private func batchChecker(probe: TrainingBatch, compiled: CompiledTraining) throws
    -> (TrainingBatch, String) throws -> Void
  {
    let predictions = try callOutputs(probe.slice(0..<min(1, probe.count)).x, training: false)
    let shapes = predictions.map { Array($0.shape.dropFirst()) }
    let outputs = compiled.outputs
    return { batch, context in
      try batch.validate(context: context)
      guard batch.y.count == shapes.count else {
        throw SwiftKerasError(
          .invalidArgument,
          "\(context): a batch has \(batch.y.count) target array(s); the model has \(shapes.count) output(s)"
        )
      }
      for (i, output) in outputs.enumerated() {
        guard let loss = output.loss else { continue }
        do {
          try loss.validate(yTrue: batch.y[i], yPred: Tensor.zeros([batch.count] + shapes[i]))
        } catch let error as SwiftKerasError {
          throw SwiftKerasError(error.kind, "\(context), output '\(output.name)': \(error.message)")
        }
      }
    }
  }

  // MARK: - evaluate and predict on a Dataset

  /// The loss and metrics over a batched ``Dataset`` (one pass, or `steps` batches), as
  /// Keras's `evaluate(dataset, return_dict=True)`.
  public func evaluate(
    _ data: Dataset, steps: Int? = nil, verbose: Int = 1, callbacks: [Callback] = []
  ) throws -> Logs {
    try data.requireBatches(context: "evaluate")
    if let steps, steps <= 0 {
      throw SwiftKerasError(.invalidArgument, "evaluate: steps must be positive, got \(steps)")
    }
    if steps == nil, data.cardinality == .infinite {
      throw SwiftKerasError(
        .invalidArgument, "evaluate: the dataset is infinite; give steps")
    }
    return try evaluation.withLock { _ in
      try ComputeThreads.withPipelineWorkers(data.workerThreads) {
        let probe = try firstBatch(of: data, context: "evaluate")
        let compiled = try prepareForTraining(probe, context: "evaluate")
        var all = callbacks
        if verbose != 0 { all.append(ProgbarLogger()) }
        let list = CallbackList(
          all, model: self,
          params: TrainingParameters(epochs: 1, steps: steps ?? data.count, verbose: verbose))
        return try evaluateDataset(
          data, steps: steps, callbacks: list, compiled: compiled, context: "evaluate")
      }
    }
  }

  /// The loss and metrics over a ``PyDataset``'s batches.
  public func evaluate(
    _ source: any PyDataset, steps: Int? = nil, verbose: Int = 1, callbacks: [Callback] = []
  ) throws -> Logs {
    try evaluate(Dataset(source), steps: steps, verbose: verbose, callbacks: callbacks)
  }

  /// One evaluation pass over a dataset, with the test callbacks.
  func evaluateDataset(
    _ data: Dataset, steps: Int?, callbacks: CallbackList, compiled: CompiledTraining,
    context: String
  ) throws -> Logs {
    compiled.resetMetrics()
    try callbacks.onTestBegin()
    let iterator = try data.makeIterator(IterationContext(seed: 0))
    var check: ((TrainingBatch, String) throws -> Void)?
    var step = 0
    while steps.map({ step < $0 }) ?? true, let element = try iterator.next() {
      let batch = try element.trainingBatch(context: context)
      if check == nil { check = try batchChecker(probe: batch, compiled: compiled) }
      try check?(batch, context)
      try callbacks.onTestBatchBegin(step)
      let logs = try testStep(batch)
      try callbacks.onTestBatchEnd(step, logs: logs)
      step += 1
    }
    let logs = compiled.logs()
    try callbacks.onTestEnd(logs: logs)
    return logs
  }

  /// The model's output over a batched ``Dataset``'s inputs (targets are ignored), as
  /// Keras's `predict(dataset)`.
  public func predict(
    _ data: Dataset, steps: Int? = nil, verbose: Int = 0, callbacks: [Callback] = []
  ) throws -> Tensor {
    try predictOutputs(data, steps: steps, verbose: verbose, callbacks: callbacks)[0]
  }

  /// Every output of the model over a batched ``Dataset``'s inputs.
  public func predictOutputs(
    _ data: Dataset, steps: Int? = nil, verbose: Int = 0, callbacks: [Callback] = []
  ) throws -> [Tensor] {
    try data.requireBatches(context: "predict")
    if let steps, steps <= 0 {
      throw SwiftKerasError(.invalidArgument, "predict: steps must be positive, got \(steps)")
    }
    if steps == nil, data.cardinality == .infinite {
      throw SwiftKerasError(.invalidArgument, "predict: the dataset is infinite; give steps")
    }
    var all = callbacks
    if verbose != 0 { all.append(ProgbarLogger()) }
    let list = CallbackList(
      all, model: self,
      params: TrainingParameters(epochs: 1, steps: steps ?? data.count, verbose: verbose))
    try list.onPredictBegin()
    var pieces: [[Tensor]] = []
    try ComputeThreads.withPipelineWorkers(data.workerThreads) {
      let iterator = try data.makeIterator(IterationContext(seed: 0))
      var step = 0
      while steps.map({ step < $0 }) ?? true, let element = try iterator.next() {
        let batch = try element.trainingBatch(context: "predict")
        try batch.validate(context: "predict")
        try list.onPredictBatchBegin(step)
        pieces.append(try predictStep(batch.x))
        try list.onPredictBatchEnd(step)
        step += 1
      }
    }
    try list.onPredictEnd()
    guard let first = pieces.first else {
      throw SwiftKerasError(.invalidArgument, "predict: the dataset yields no batches")
    }
    return (0..<first.count).map { output in
      pieces.count == 1
        ? pieces[0][output] : Tensor.concatenate(pieces.map { $0[output] }, alongAxis: 0)
    }
  }

  /// The model's output over a ``PyDataset``'s batches.
  public func predict(
    _ source: any PyDataset, steps: Int? = nil, verbose: Int = 0, callbacks: [Callback] = []
  ) throws -> Tensor {
    try predict(Dataset(source), steps: steps, verbose: verbose, callbacks: callbacks)
  }
}

/// The iterator `fit` trains from and the seed its passes use.
private final class DatasetCursor {
  let data: Dataset
  var iterator: DatasetIterator?
  var seed: UInt64 = 0
  init(_ data: Dataset) { self.data = data }

  func start(pass: Int) throws {
    iterator = nil  // a prefetch worker of the old pass stops before the new one starts
    iterator = try data.makeIterator(IterationContext(seed: seed, pass: pass))
  }
}
