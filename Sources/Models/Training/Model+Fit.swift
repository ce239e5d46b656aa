import Foundation
import SwiftKerasCore
import SwiftKerasLayers
import SwiftKerasTraining

extension Model {
  // MARK: - fit

  /// Trains the model, as Keras's `fit`, and returns the History. `x` and `y` are a
  /// tensor, arrays in input/output order or dictionaries by name (``ModelInput``).
  ///
  /// ```swift
  /// let history = try model.fit(x: xTrain, y: yTrain, batchSize: 32, epochs: 5, validationSplit: 0.1)
  /// print(history["val_accuracy"])
  /// ```
  ///
  /// Bad input (x and y of different lengths, a label out of range, shapes that do not
  /// fit the model, an unknown identifier in `compile`) throws before any step runs.
  ///
  /// - Parameters:
  ///   - batchSize: samples per step (32 by default).
  ///   - verbose: 0 silent, 1 progress bar, 2 one line per epoch.
  ///   - validationSplit: the fraction of the data, taken from the end before shuffling,
  ///     held out for validation.
  ///   - validationData: data to validate on at each epoch's end (overrides the split).
  ///   - shuffle: shuffle the training samples before each epoch.
  ///   - classWeight: a weight per class index, multiplied into the sample weights.
  ///   - sampleWeight: one weight per training sample.
  ///   - initialEpoch: the epoch to start from (to resume training).
  ///   - stepsPerEpoch: batches per epoch; by default all the data.
  ///   - validationFreq: validate every this many epochs.
  ///   - distribution: train data-parallel over several processes (``DataParallel``);
  ///     `batchSize` is then the global batch.
  @discardableResult
  public func fit(
    x: any ModelInput, y: any ModelInput, batchSize: Int? = nil, epochs: Int = 1,
    verbose: Int = 1, callbacks: [Callback] = [], validationSplit: Double = 0,
    validationData: (x: any ModelInput, y: any ModelInput)? = nil, shuffle: Bool = true,
    classWeight: [Int: Float]? = nil, sampleWeight: Tensor? = nil, initialEpoch: Int = 0,
    stepsPerEpoch: Int? = nil, validationFreq: Int = 1, distribution: DataParallel? = nil
  ) throws -> History {
    try claimFit()
    defer { fitting.store(false, ordering: .releasing) }
    try checkFitArguments(
      epochs: epochs, initialEpoch: initialEpoch, validationFreq: validationFreq, verbose: verbose)
    let data = try trainingBatch(x: x, y: y, sampleWeight: sampleWeight)
    try data.validate(context: "fit")
    let explicitValidation = try validationData.map { try trainingBatch(x: $0.x, y: $0.y) }
    var iterator: EpochIterator
    do {
      iterator = try EpochIterator(
        data: data, batchSize: batchSize ?? 32, shuffle: shuffle, stepsPerEpoch: stepsPerEpoch,
        validationSplit: explicitValidation == nil ? validationSplit : 0)
    } catch let error as SwiftKerasError {
      throw SwiftKerasError(error.kind, "fit: " + error.message)
    }
    if let classWeight, let labels = iterator.data.y.first {
      iterator.weightSamples(try classSampleWeights(labels, classWeight: classWeight))
    }
    let validation = explicitValidation ?? iterator.validationData
    try validation?.validate(context: "fit (validation data)")
    let compiled = try prepareForTraining(iterator.data, context: "fit")
    guard !trainableWeights.isEmpty else {
      throw SwiftKerasError(
        .invalidState,
        "fit: model '\(name)' has no trainable weights (layers found: \(layers.map(\.name).joined(separator: ", ")), none with trainable weights); keep a subclassed model's layers in stored properties (or pass them to track(_:)), and unfreeze layers to train them"
      )
    }
    if let validation {
      try checkTargets(validation, compiled: compiled, context: "fit (validation data)")
    }

    let validate: ((CallbackList) throws -> Logs)? = validation.map { validation in
      { list in
        try self.evaluateData(
          validation, batchSize: iterator.batchSize, callbacks: list, compiled: compiled,
          distribution: distribution)
      }
    }
    if let distribution {
      try distribution.checkAgreement(
        model: self, samples: iterator.data.count, batchSize: iterator.batchSize, epochs: epochs,
        steps: iterator.stepsPerEpoch, context: "fit")
      try distribution.checkSynchronizedStatistics(
        of: self, samples: iterator.data.count, batchSize: iterator.batchSize)
    }
    return try runEpochs(
      .tensors(iterator, initialEpoch: initialEpoch, continuesAcrossEpochs: stepsPerEpoch != nil),
      epochs: epochs, initialEpoch: initialEpoch, verbose: verbose, callbacks: callbacks,
      compiled: compiled, validationFreq: validationFreq, validate: validate,
      prepareBatch: { $0 }, distribution: distribution)
  }

  /// The epoch loop `fit` runs on tensors or a dataset: callbacks, training steps,
  /// validation, the resume point a callback set (``resumeEpoch``, ``resumeStep``).
  ///
  /// - Parameters:
  ///   - prepareBatch: checks and weights each batch before its step (datasets).
  ///   - afterEpoch: runs after each epoch's callbacks (a PyDataset's `onEpochEnd`).
  ///   - distribution: data-parallel training: the ranks have agreed on the model and
  ///     data; each step trains on this rank's rows of the batch.
  func runEpochs(
    _ batches: EpochBatches, epochs: Int, initialEpoch: Int, verbose: Int, callbacks: [Callback],
    compiled: CompiledTraining, validationFreq: Int, validate: ((CallbackList) throws -> Logs)?,
    prepareBatch: (TrainingBatch) throws -> TrainingBatch, afterEpoch: () throws -> Void = {},
    distribution: DataParallel? = nil
  ) throws -> History {
    let history = History()
    var all: [Callback] = [history]
    all.insert(contentsOf: callbacks, at: 0)
    if verbose != 0 { all.append(ProgbarLogger()) }
    if let distribution, !distribution.isChief {
      all.removeAll { $0.runsOnChiefOnly }
      for callback in all { callback.isOnChiefRank = false }
    }
    defer { for callback in all { callback.isOnChiefRank = true } }
    let list = CallbackList(
      all, model: self,
      params: TrainingParameters(epochs: epochs, steps: batches.stepsPerEpoch, verbose: verbose))
    self.history = history
    stopTraining = false
    var reportedNonFiniteLoss = false
    // One draw from the global generator per fit; a callback may replace it in
    // onTrainBegin (BackupAndRestore) so a resumed run shuffles as the original did.
    shuffleSeed = GlobalRandom.next()
    resumeEpoch = nil
    resumeStep = nil
    // Optimizer slots exist on every rank before rank 0's are copied.
    if distribution != nil { try optimizer?.build(variables: trainableWeights) }
    try list.onTrainBegin()
    // Rank 0's weights, optimizer state and seed (restored by BackupAndRestore, if any).
    try distribution?.adoptChiefState(of: self)
    batches.useSeed(shuffleSeed)
    var epoch = resumeEpoch ?? initialEpoch
    var resumeAt = resumeEpoch == nil ? nil : resumeStep
    resumeEpoch = nil
    resumeStep = nil
    do {
      while epoch < epochs && !stopTraining {
        compiled.resetMetrics()
        try list.onEpochBegin(epoch)
        var firstStep = 0
        if let step = resumeAt, step > 0 {
          try batches.resume(epoch, step)
          firstStep = step
        } else {
          try batches.beginEpoch(epoch)
        }
        resumeAt = nil
        var logs: Logs = [:]
        var step = firstStep
        while batches.stepsPerEpoch.map({ step < $0 }) ?? true {
          guard let next = try batches.next() else {
            if batches.stepsPerEpoch != nil {
              // As Keras: a dataset shorter than stepsPerEpoch × epochs ends training.
              warn(
                "epoch \(epoch + 1), batch \(step + 1): the data ran out; training stops. Make sure the dataset yields at least stepsPerEpoch × epochs batches (add .repeat())"
              )
              stopTraining = true
            }
            break
          }
          var batch = try prepareBatch(next)
          if let distribution {
            // Every rank holds the same global batch; this one trains on its rows.
            let globalCount = batch.count
            let rows = distribution.shard(globalCount)
            batch = batch.slice(rows)
            dataParallelStep = DataParallelStep(
              strategy: distribution, localCount: batch.count, globalCount: globalCount)
            RandomBatchShard.current.value = (rows, globalCount)
            CrossReplicaContext.current.value = distribution.crossReplicaContext(
              localCount: batch.count, globalCount: globalCount)
          }
          defer {
            dataParallelStep = nil
            RandomBatchShard.current.value = nil
            CrossReplicaContext.current.value = nil
          }
          try list.onTrainBatchBegin(step)
          logs = try trainStep(batch)
          if !reportedNonFiniteLoss, let loss = logs["loss"], !loss.isFinite {
            // As Keras, training goes on (TerminateOnNaN stops it); say so once per fit.
            reportedNonFiniteLoss = true
            warn(
              "epoch \(epoch + 1), batch \(step + 1): the loss is \(loss); check the data for NaN or Inf, or add TerminateOnNaN()"
            )
          }
          try list.onTrainBatchEnd(step, logs: logs)
          step += 1
          if stopTraining { break }
        }
        if let validate, (epoch + 1) % validationFreq == 0 {
          let validationLogs = try validate(list)
          for (key, value) in validationLogs { logs["val_" + key] = value }
        }
        if !reportedNonFiniteLoss,
          let weight = trainableWeights.first(where: { !$0.untrackedValue.isFinite })
        {
          reportedNonFiniteLoss = true
          warn("epoch \(epoch + 1): weight '\(weight.name)' holds NaN or Inf")
        }
        try list.onEpochEnd(epoch, logs: logs)
        try afterEpoch()
        epoch += 1
      }
    } catch {
      // The other ranks wait in this step's collectives: end them all, with the reason.
      distribution?.communicator.abort(reason: "fit failed: \(error)")
      throw error
    }
    try list.onTrainEnd(logs: history.history.mapValues { $0.last ?? .nan })
    return history
  }

  /// `x`, `y` and the weights as one batch in the model's input and output order.
  func trainingBatch(x: any ModelInput, y: (any ModelInput)?, sampleWeight: Tensor? = nil) throws
    -> TrainingBatch
  {
    TrainingBatch(
      x: try x.orderedTensors(names: inputNames, role: .input, model: name),
      y: try y?.orderedTensors(names: outputNames, role: .output, model: name) ?? [],
      sampleWeight: sampleWeight)
  }

  /// Checks shapes, resolves compile's identifiers and validates every target before any
  /// step runs.
  func prepareForTraining(_ data: TrainingBatch, context: String) throws -> CompiledTraining {
    guard compileConfiguration != nil else {
      throw SwiftKerasError(
        .invalidState,
        "model '\(name)' must be compiled before \(context): call compile(optimizer:loss:metrics:) first"
      )
    }
    let probe = data.slice(0..<min(1, data.count))
    let predictions = try callOutputs(probe.x, training: false)
    guard probe.y.count == predictions.count else {
      throw SwiftKerasError(
        .invalidArgument,
        "\(context): model '\(name)' has \(predictions.count) output(s) but \(probe.y.count) target array(s) were given"
      )
    }
    let compiled = try resolveCompiled(yTrue: probe.y, yPred: predictions)
    try checkTargets(data, compiled: compiled, context: context)
    return compiled
  }

  /// Validates targets against each loss (shapes, label ranges) in chunks, before training.
  func checkTargets(_ data: TrainingBatch, compiled: CompiledTraining, context: String) throws {
    let probe = data.slice(0..<min(1, data.count))
    let predictions = try callOutputs(probe.x, training: false)
    let chunk = 8192
    for (i, output) in compiled.outputs.enumerated() {
      guard let loss = output.loss else { continue }
      let predShape = Array(predictions[i].shape.dropFirst())
      var start = 0
      while start < data.count {
        let end = min(start + chunk, data.count)
        let yTrue = data.y[i][rows: start..<end]
        let zeros = Tensor.zeros([end - start] + predShape)
        do {
          try loss.validate(yTrue: yTrue, yPred: zeros)
        } catch let error as SwiftKerasError {
          throw SwiftKerasError(error.kind, "\(context), output '\(output.name)': \(error.message)")
        }
        start = end
      }
    }
  }

  /// `sampleWeight` times an output's `[batch, steps]` mask (either may be nil).
  private func maskedWeight(_ sampleWeight: Tensor?, _ mask: Tensor?) -> Tensor? {
    guard let mask else { return sampleWeight }
    guard let sampleWeight else { return mask }
    let perSample = sampleWeight.reshaped(
      to: [sampleWeight.shape.first ?? 1] + Array(repeating: 1, count: max(mask.rank - 1, 0)))
    return perSample * mask
  }

  func updateMetrics(
    _ batch: TrainingBatch, predictions: [Tensor], total: Tensor, outputLosses: [Tensor],
    compiled: CompiledTraining
  ) throws {
    let batchWeight = Tensor(Float(batch.count))
    try compiled.lossTracker.update(
      yTrue: total.detached, yPred: total.detached, sampleWeight: batchWeight)
    for (i, output) in compiled.outputs.enumerated() {
      let prediction = predictions[i].detached
      if let tracker = output.lossTracker, i < outputLosses.count {
        try tracker.update(
          yTrue: outputLosses[i].detached, yPred: outputLosses[i].detached,
          sampleWeight: batchWeight)
      }
      // A masked output's metrics weight its steps by the mask, as Keras's.
      let mask = i < stepOutputMasks.count ? stepOutputMasks[i]?.detached : nil
      for metric in output.metrics {
        try metric.update(
          yTrue: batch.y[i], yPred: prediction, sampleWeight: maskedWeight(nil, mask))
      }
      for metric in output.weightedMetrics {
        try metric.update(
          yTrue: batch.y[i], yPred: prediction,
          sampleWeight: maskedWeight(batch.sampleWeight, mask))
      }
    }
  }

  // MARK: - evaluate

  /// Computes the loss and metrics on data, as Keras's `evaluate(return_dict=True)`; the
  /// results keep Keras's key order.
  ///
  /// ```swift
  /// let scores = try model.evaluate(x: xTest, y: yTest)   // ["accuracy": …, "loss": …]
  /// ```
  public func evaluate(
    x: any ModelInput, y: any ModelInput, batchSize: Int? = nil, verbose: Int = 1,
    sampleWeight: Tensor? = nil, callbacks: [Callback] = [], distribution: DataParallel? = nil
  ) throws -> Logs {
    let batchSize = batchSize ?? 32
    guard batchSize > 0 else {
      throw SwiftKerasError(
        .invalidArgument, "evaluate: batchSize must be positive, got \(batchSize)")
    }
    // The compiled metrics are the model's: evaluations from several threads take turns.
    return try evaluation.withLock { _ in
      try evaluateSerially(
        x: x, y: y, batchSize: batchSize, verbose: verbose, sampleWeight: sampleWeight,
        callbacks: callbacks, distribution: distribution)
    }
  }

  private func evaluateSerially(
    x: any ModelInput, y: any ModelInput, batchSize: Int, verbose: Int, sampleWeight: Tensor?,
    callbacks: [Callback], distribution: DataParallel?
  ) throws -> Logs {
    let data = try trainingBatch(x: x, y: y, sampleWeight: sampleWeight)
    try data.validate(context: "evaluate")
    let compiled = try prepareForTraining(data, context: "evaluate")
    var all = callbacks
    if verbose != 0 { all.append(ProgbarLogger()) }
    if let distribution, !distribution.isChief { all.removeAll { $0.runsOnChiefOnly } }
    let steps = try EpochIterator.batchRanges(count: data.count, batchSize: batchSize).count
    let list = CallbackList(
      all, model: self, params: TrainingParameters(epochs: 1, steps: steps, verbose: verbose))
    return try evaluateData(
      data, batchSize: batchSize, callbacks: list, compiled: compiled, distribution: distribution)
  }

  /// Evaluates `data` batch by batch; data-parallel, each rank takes its share of `data`
  /// (batches of about batchSize / ranks) and the logs merge every rank's metrics.
  func evaluateData(
    _ data: TrainingBatch, batchSize: Int, callbacks: CallbackList, compiled: CompiledTraining,
    distribution: DataParallel? = nil
  ) throws -> Logs {
    var data = data
    var batchSize = batchSize
    if let distribution {
      data = data.slice(distribution.shard(data.count))
      batchSize = max(1, batchSize / distribution.size)
    }
    // As Keras: evaluation resets the compiled metrics; fit has read the epoch's training
    // logs before validating.
    compiled.resetMetrics()
    try callbacks.onTestBegin()
    let ranges = try EpochIterator.batchRanges(count: data.count, batchSize: batchSize)
    for (step, range) in ranges.enumerated() {
      try callbacks.onTestBatchBegin(step)
      let logs = try testStep(data.slice(range))
      try callbacks.onTestBatchEnd(step, logs: logs)
    }
    let logs = try distribution?.globalLogs(compiled) ?? compiled.logs()
    try callbacks.onTestEnd(logs: logs)
    return logs
  }

  // MARK: - predict

  /// The model's output for `x`, computed in batches, as Keras's `predict`.
  /// Data-parallel (`distribution`), each rank predicts its share of `x` and every rank
  /// returns the whole result.
  public func predict(
    x: any ModelInput, batchSize: Int? = nil, verbose: Int = 0, callbacks: [Callback] = [],
    distribution: DataParallel? = nil
  ) throws -> Tensor {
    try predictOutputs(
      x: x, batchSize: batchSize, verbose: verbose, callbacks: callbacks,
      distribution: distribution)[0]
  }

  /// Every output of a multi-input / multi-output model for `x`, computed in batches.
  public func predictOutputs(
    x: any ModelInput, batchSize: Int? = nil, verbose: Int = 0, callbacks: [Callback] = [],
    distribution: DataParallel? = nil
  ) throws -> [Tensor] {
    let batchSize = batchSize ?? 32
    guard batchSize > 0 else {
      throw SwiftKerasError(
        .invalidArgument, "predict: batchSize must be positive, got \(batchSize)")
    }
    var data = try trainingBatch(x: x, y: nil)
    try data.validate(context: "predict")
    let total = data.count
    if let distribution {
      data = data.slice(distribution.shard(total))
      guard data.count > 0 else {
        // This rank has no rows (fewer samples than ranks) but joins the gathering.
        let probe = try predictStep(try trainingBatch(x: x, y: nil).slice(0..<1).x)
        return try distribution.gatherRows(probe.map { $0[rows: 0..<0] }, total: total)
      }
    }
    var all = callbacks
    if verbose != 0 { all.append(ProgbarLogger()) }
    if let distribution, !distribution.isChief { all.removeAll { $0.runsOnChiefOnly } }
    let ranges = try EpochIterator.batchRanges(count: data.count, batchSize: batchSize)
    let list = CallbackList(
      all, model: self,
      params: TrainingParameters(epochs: 1, steps: ranges.count, verbose: verbose))
    try list.onPredictBegin()
    var pieces: [[Tensor]] = []
    for (step, range) in ranges.enumerated() {
      try list.onPredictBatchBegin(step)
      pieces.append(try predictStep(data.slice(range).x))
      try list.onPredictBatchEnd(step)
    }
    try list.onPredictEnd()
    guard let first = pieces.first else {
      throw SwiftKerasError(.invalidArgument, "predict: x has no samples")
    }
    let outputs = (0..<first.count).map { output in
      pieces.count == 1
        ? pieces[0][output] : Tensor.concatenate(pieces.map { $0[output] }, alongAxis: 0)
    }
    return try distribution?.gatherRows(outputs, total: total) ?? outputs
  }

  // MARK: - on batch

  /// One training step on one batch; returns the running logs (metrics are not reset
  /// between calls, as in Keras).
  @discardableResult
  public func trainOnBatch(x: any ModelInput, y: any ModelInput, sampleWeight: Tensor? = nil)
    throws -> Logs
  {
    let data = try trainingBatch(x: x, y: y, sampleWeight: sampleWeight)
    try data.validate(context: "trainOnBatch")
    _ = try prepareForTraining(data, context: "trainOnBatch")
    return try trainStep(data)
  }

  /// The loss and metrics on one batch, without training.
  public func testOnBatch(x: any ModelInput, y: any ModelInput, sampleWeight: Tensor? = nil)
    throws -> Logs
  {
    let data = try trainingBatch(x: x, y: y, sampleWeight: sampleWeight)
    try data.validate(context: "testOnBatch")
    let compiled = try prepareForTraining(data, context: "testOnBatch")
    let list = CallbackList(
      [], model: self, params: TrainingParameters(epochs: 1, steps: 1, verbose: 0))
    return try evaluateData(
      data, batchSize: max(data.count, 1), callbacks: list, compiled: compiled)
  }

  /// The model's output for one batch.
  public func predictOnBatch(x: any ModelInput) throws -> Tensor {
    try predictStep(try trainingBatch(x: x, y: nil).x)[0]
  }

  /// Resets the compiled metrics and the loss tracker.
  public func resetMetrics() { compiled?.resetMetrics() }
}

extension Model {
  /// Marks the model as fitting, one fit at a time per model: a second thread gets an
  /// error instead of a race. The caller clears `fitting` when its fit ends.
  func claimFit() throws {
    guard fitting.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
    else {
      throw SwiftKerasError(
        .invalidState,
        "model '\(name)' is already training on another thread; fit one model from one thread at a time"
      )
    }
  }

  /// The checks every `fit` makes of the arguments they all take, with Keras's messages.
  func checkFitArguments(epochs: Int, initialEpoch: Int, validationFreq: Int, verbose: Int)
    throws
  {
    guard epochs >= 0, initialEpoch >= 0 else {
      throw SwiftKerasError(
        .invalidArgument,
        "fit: epochs (\(epochs)) and initialEpoch (\(initialEpoch)) must not be negative")
    }
    guard validationFreq > 0 else {
      throw SwiftKerasError(
        .invalidArgument, "fit: validationFreq must be positive, got \(validationFreq)")
    }
    guard [0, 1, 2].contains(verbose) else {
      throw SwiftKerasError(.invalidArgument, "fit: verbose must be 0, 1 or 2, got \(verbose)")
    }
  }
}
