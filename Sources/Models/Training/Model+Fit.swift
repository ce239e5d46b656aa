import Foundation
import SwiftKerasCore
import SwiftKerasDatasets
import SwiftKerasLayers
import SwiftKerasTraining

extension Model {
  // MARK: - fit

  /// Trains the model, as Keras's `fit`, and returns the History.
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
  @discardableResult
  public func fit(
    x: Tensor, y: Tensor, batchSize: Int? = nil, epochs: Int = 1, verbose: Int = 1,
    callbacks: [Callback] = [], validationSplit: Double = 0,
    validationData: (x: Tensor, y: Tensor)? = nil, shuffle: Bool = true,
    classWeight: [Int: Float]? = nil, sampleWeight: Tensor? = nil, initialEpoch: Int = 0,
    stepsPerEpoch: Int? = nil, validationFreq: Int = 1
  ) throws -> History {
    try fitData(
      TrainingData(x: [x], y: [y], sampleWeight: sampleWeight), batchSize: batchSize,
      epochs: epochs, verbose: verbose, callbacks: callbacks, validationSplit: validationSplit,
      validationData: validationData.map { TrainingData(x: [$0.x], y: [$0.y]) }, shuffle: shuffle,
      classWeight: classWeight, initialEpoch: initialEpoch, stepsPerEpoch: stepsPerEpoch,
      validationFreq: validationFreq)
  }

  /// Trains a multi-input / multi-output model from arrays in input and output order.
  @discardableResult
  public func fit(
    x: [Tensor], y: [Tensor], batchSize: Int? = nil, epochs: Int = 1, verbose: Int = 1,
    callbacks: [Callback] = [], validationSplit: Double = 0,
    validationData: (x: [Tensor], y: [Tensor])? = nil, shuffle: Bool = true,
    classWeight: [Int: Float]? = nil, sampleWeight: Tensor? = nil, initialEpoch: Int = 0,
    stepsPerEpoch: Int? = nil, validationFreq: Int = 1
  ) throws -> History {
    try fitData(
      TrainingData(x: x, y: y, sampleWeight: sampleWeight), batchSize: batchSize, epochs: epochs,
      verbose: verbose, callbacks: callbacks, validationSplit: validationSplit,
      validationData: validationData.map { TrainingData(x: $0.x, y: $0.y) }, shuffle: shuffle,
      classWeight: classWeight, initialEpoch: initialEpoch, stepsPerEpoch: stepsPerEpoch,
      validationFreq: validationFreq)
  }

  /// Trains a multi-input / multi-output model from arrays keyed by input and output name.
  @discardableResult
  public func fit(
    x: [String: Tensor], y: [String: Tensor], batchSize: Int? = nil, epochs: Int = 1,
    verbose: Int = 1, callbacks: [Callback] = [], validationSplit: Double = 0,
    validationData: (x: [String: Tensor], y: [String: Tensor])? = nil, shuffle: Bool = true,
    classWeight: [Int: Float]? = nil, sampleWeight: Tensor? = nil, initialEpoch: Int = 0,
    stepsPerEpoch: Int? = nil, validationFreq: Int = 1
  ) throws -> History {
    try fitData(
      TrainingData(x: try orderedInputs(x), y: try orderedTargets(y), sampleWeight: sampleWeight),
      batchSize: batchSize, epochs: epochs, verbose: verbose, callbacks: callbacks,
      validationSplit: validationSplit,
      validationData: try validationData.map {
        TrainingData(x: try orderedInputs($0.x), y: try orderedTargets($0.y))
      }, shuffle: shuffle, classWeight: classWeight, initialEpoch: initialEpoch,
      stepsPerEpoch: stepsPerEpoch, validationFreq: validationFreq)
  }

  func orderedInputs(_ x: [String: Tensor]) throws -> [Tensor] {
    let names = inputNames
    for key in x.keys where !names.contains(key) {
      throw SwiftKerasError(
        .invalidArgument,
        "model '\(name)' has no input named '\(key)'; inputs: \(names.joined(separator: ", "))")
    }
    return try names.map { key in
      guard let value = x[key] else {
        throw SwiftKerasError(
          .invalidArgument,
          "missing input '\(key)'; model '\(name)' needs: \(names.joined(separator: ", "))")
      }
      return value
    }
  }

  func orderedTargets(_ y: [String: Tensor]) throws -> [Tensor] {
    let names = outputNames
    for key in y.keys where !names.contains(key) {
      throw SwiftKerasError(
        .invalidArgument,
        "model '\(name)' has no output named '\(key)'; outputs: \(names.joined(separator: ", "))")
    }
    return try names.map { key in
      guard let value = y[key] else {
        throw SwiftKerasError(
          .invalidArgument,
          "missing target for output '\(key)'; model '\(name)' has outputs: \(names.joined(separator: ", "))"
        )
      }
      return value
    }
  }

  func fitData(
    _ data: TrainingData, batchSize: Int?, epochs: Int, verbose: Int, callbacks: [Callback],
    validationSplit: Double, validationData: TrainingData?, shuffle: Bool,
    classWeight: [Int: Float]?,
    initialEpoch: Int, stepsPerEpoch: Int?, validationFreq: Int
  ) throws -> History {
    let batchSize = batchSize ?? 32
    guard batchSize > 0 else {
      throw SwiftKerasError(.invalidArgument, "fit: batchSize must be positive, got \(batchSize)")
    }
    guard epochs >= 0, initialEpoch >= 0 else {
      throw SwiftKerasError(
        .invalidArgument,
        "fit: epochs (\(epochs)) and initialEpoch (\(initialEpoch)) must not be negative")
    }
    guard validationSplit >= 0 && validationSplit < 1 else {
      throw SwiftKerasError(
        .invalidArgument, "fit: validationSplit must be in [0, 1), got \(validationSplit)")
    }
    guard validationFreq > 0 else {
      throw SwiftKerasError(
        .invalidArgument, "fit: validationFreq must be positive, got \(validationFreq)")
    }
    if let stepsPerEpoch, stepsPerEpoch <= 0 {
      throw SwiftKerasError(
        .invalidArgument, "fit: stepsPerEpoch must be positive, got \(stepsPerEpoch)")
    }
    guard [0, 1, 2].contains(verbose) else {
      throw SwiftKerasError(.invalidArgument, "fit: verbose must be 0, 1 or 2, got \(verbose)")
    }
    try data.validate(context: "fit")
    var training = data
    var validation = validationData
    if validation == nil && validationSplit > 0 {
      let parts = data.split(validationFraction: validationSplit)
      training = parts.train
      validation = parts.validation
      guard training.count > 0 else {
        throw SwiftKerasError(
          .invalidArgument,
          "fit: validationSplit \(validationSplit) leaves no training samples out of \(data.count)")
      }
    }
    if let classWeight, let labels = training.y.first {
      let weights = try classSampleWeights(labels, classWeight: classWeight)
      training.sampleWeight = training.sampleWeight.map { $0 * weights } ?? weights
    }
    try validation?.validate(context: "fit (validation data)")
    let compiled = try prepareForTraining(training, context: "fit")
    guard !trainableWeights.isEmpty else {
      throw SwiftKerasError(
        .invalidState,
        "fit: model '\(name)' has no trainable weights (layers found: \(layers.map(\.name).joined(separator: ", ")), none with trainable weights); keep a subclassed model's layers in stored properties (or pass them to track(_:)), and unfreeze layers to train them"
      )
    }
    if let validation {
      try checkTargets(validation, compiled: compiled, context: "fit (validation data)")
    }

    let n = training.count
    let stepsForData = (n + batchSize - 1) / batchSize
    let steps = stepsPerEpoch ?? stepsForData
    let history = History()
    var all: [Callback] = [history]
    all.insert(contentsOf: callbacks, at: 0)
    if verbose != 0 { all.append(ProgbarLogger()) }
    let list = CallbackList(
      all, model: self, params: TrainingParameters(epochs: epochs, steps: steps, verbose: verbose))
    self.history = history
    stopTraining = false
    // One draw from the global generator per fit; each shuffle's order derives from it,
    // the epoch and the shuffles already done in that epoch, so a run resumed at an epoch
    // (with the same seed, see `shuffleSeed`) shuffles exactly as the original.
    shuffleSeed = GlobalRandom.next()
    resumeEpoch = nil
    var order = Array(0..<n)
    var cursor = n  // forces a (re)shuffle at the first step
    list.onTrainBegin()
    try list.throwPendingError()
    var epoch = resumeEpoch ?? initialEpoch
    resumeEpoch = nil
    while epoch < epochs && !stopTraining {
      compiled.resetMetrics()
      list.onEpochBegin(epoch)
      var logs: Logs = [:]
      var shufflesThisEpoch: UInt64 = 0
      for step in 0..<steps {
        if cursor >= n {
          if shuffle {
            var generator = RandomGenerator(
              seed: shuffleSeed ^ (UInt64(epoch) &* 0xD1B5_4A32_D192_ED03)
                ^ (shufflesThisEpoch &* 0x8CB9_2BA7_2F3D_8DD7))
            // The epoch's order comes from the Datasets batching, without copying the data.
            order =
              try BatchSequence(
                count: n, batchSize: batchSize, shuffle: true, generator: &generator
              )
              .order ?? Array(0..<n)
            shufflesThisEpoch += 1
          }
          cursor = 0
        }
        let end = min(cursor + batchSize, n)
        let batch =
          shuffle ? training.gather(Array(order[cursor..<end])) : training.slice(cursor..<end)
        cursor = stepsPerEpoch == nil && end == n ? n : end
        list.onTrainBatchBegin(step)
        logs = try trainStep(batch, compiled: compiled)
        list.onTrainBatchEnd(step, logs: logs)
        try list.throwPendingError()
        if stopTraining { break }
      }
      if stepsPerEpoch == nil { cursor = n }
      if let validation, (epoch + 1) % validationFreq == 0 {
        let validationLogs = try evaluateData(
          validation, batchSize: batchSize, verbose: 0, callbacks: list, compiled: compiled)
        for (key, value) in validationLogs { logs["val_" + key] = value }
      }
      list.onEpochEnd(epoch, logs: logs)
      try list.throwPendingError()
      epoch += 1
    }
    list.onTrainEnd(logs: history.history.mapValues { $0.last ?? .nan })
    try list.throwPendingError()
    return history
  }

  /// Checks shapes, resolves compile's identifiers and validates every target before any
  /// step runs.
  func prepareForTraining(_ data: TrainingData, context: String) throws -> CompiledTraining {
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
  func checkTargets(_ data: TrainingData, compiled: CompiledTraining, context: String) throws {
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

  /// One optimisation step on a batch: forward, loss, backward, update, metrics.
  func trainStep(_ batch: TrainingData, compiled: CompiledTraining) throws -> Logs {
    guard let optimizer else {
      throw SwiftKerasError(.invalidState, "model '\(name)' has no optimizer")
    }
    let weights = trainableWeights
    let tape = GradientTape()
    var predictions: [Tensor] = []
    var outputLosses: [Tensor] = []
    let total = try tape.record { () throws -> Tensor in
      predictions = try callOutputs(batch.x, training: true)
      let (total, perOutput) = try computeLoss(batch, predictions: predictions, compiled: compiled)
      outputLosses = perOutput
      return total
    }
    let gradients = tape.gradient(of: total, wrt: weights)
    try optimizer.apply(gradients: gradients, to: weights)
    applyConstraints()
    try updateMetrics(
      batch, predictions: predictions, total: total, outputLosses: outputLosses, compiled: compiled)
    return compiled.logs()
  }

  /// The total loss (weighted output losses plus regularization) and each output's loss.
  func computeLoss(_ batch: TrainingData, predictions: [Tensor], compiled: CompiledTraining) throws
    -> (Tensor, [Tensor])
  {
    var total: Tensor?
    var perOutput: [Tensor] = []
    for (i, output) in compiled.outputs.enumerated() {
      guard let loss = output.loss else { continue }
      let value = loss(yTrue: batch.y[i], yPred: predictions[i], sampleWeight: batch.sampleWeight)
      perOutput.append(value)
      let weighted = output.lossWeight == 1 ? value : value * output.lossWeight
      total = total.map { $0 + weighted } ?? weighted
    }
    var result = total ?? Tensor(0)
    for penalty in losses { result = result + penalty.sum() }
    return (result, perOutput)
  }

  func updateMetrics(
    _ batch: TrainingData, predictions: [Tensor], total: Tensor, outputLosses: [Tensor],
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
      for metric in output.metrics {
        try metric.update(yTrue: batch.y[i], yPred: prediction, sampleWeight: nil)
      }
      for metric in output.weightedMetrics {
        try metric.update(yTrue: batch.y[i], yPred: prediction, sampleWeight: batch.sampleWeight)
      }
    }
  }

  // MARK: - evaluate

  /// Computes the loss and metrics on data, as Keras's `evaluate(return_dict=True)`.
  ///
  /// ```swift
  /// let scores = try model.evaluate(x: xTest, y: yTest)   // ["loss": …, "accuracy": …]
  /// ```
  public func evaluate(
    x: Tensor, y: Tensor, batchSize: Int? = nil, verbose: Int = 1, sampleWeight: Tensor? = nil,
    callbacks: [Callback] = []
  ) throws -> Logs {
    try evaluateTop(
      TrainingData(x: [x], y: [y], sampleWeight: sampleWeight), batchSize: batchSize,
      verbose: verbose, callbacks: callbacks)
  }

  /// Evaluates a multi-input / multi-output model from arrays in order.
  public func evaluate(
    x: [Tensor], y: [Tensor], batchSize: Int? = nil, verbose: Int = 1, sampleWeight: Tensor? = nil,
    callbacks: [Callback] = []
  ) throws -> Logs {
    try evaluateTop(
      TrainingData(x: x, y: y, sampleWeight: sampleWeight), batchSize: batchSize, verbose: verbose,
      callbacks: callbacks)
  }

  /// Evaluates a multi-input / multi-output model from arrays keyed by name.
  public func evaluate(
    x: [String: Tensor], y: [String: Tensor], batchSize: Int? = nil, verbose: Int = 1,
    sampleWeight: Tensor? = nil, callbacks: [Callback] = []
  ) throws -> Logs {
    try evaluateTop(
      TrainingData(x: try orderedInputs(x), y: try orderedTargets(y), sampleWeight: sampleWeight),
      batchSize: batchSize, verbose: verbose, callbacks: callbacks)
  }

  func evaluateTop(_ data: TrainingData, batchSize: Int?, verbose: Int, callbacks: [Callback])
    throws -> Logs
  {
    let batchSize = batchSize ?? 32
    guard batchSize > 0 else {
      throw SwiftKerasError(
        .invalidArgument, "evaluate: batchSize must be positive, got \(batchSize)")
    }
    try data.validate(context: "evaluate")
    let compiled = try prepareForTraining(data, context: "evaluate")
    var all = callbacks
    if verbose != 0 { all.append(ProgbarLogger()) }
    let steps = (data.count + batchSize - 1) / batchSize
    let list = CallbackList(
      all, model: self, params: TrainingParameters(epochs: 1, steps: steps, verbose: verbose))
    return try evaluateData(
      data, batchSize: batchSize, verbose: verbose, callbacks: list, compiled: compiled)
  }

  func evaluateData(
    _ data: TrainingData, batchSize: Int, verbose: Int, callbacks: CallbackList,
    compiled: CompiledTraining
  ) throws -> Logs {
    // As Keras: evaluation resets the compiled metrics; fit has read the epoch's training
    // logs before validating.
    compiled.resetMetrics()
    callbacks.onTestBegin()
    var start = 0
    var step = 0
    while start < data.count {
      let end = min(start + batchSize, data.count)
      let batch = data.slice(start..<end)
      callbacks.onTestBatchBegin(step)
      let predictions = try callOutputs(batch.x, training: false)
      let (total, perOutput) = try computeLoss(batch, predictions: predictions, compiled: compiled)
      try updateMetrics(
        batch, predictions: predictions, total: total, outputLosses: perOutput, compiled: compiled)
      callbacks.onTestBatchEnd(step, logs: compiled.logs())
      start = end
      step += 1
    }
    let logs = compiled.logs()
    callbacks.onTestEnd(logs: logs)
    return logs
  }

  // MARK: - predict

  /// The model's output for `x`, computed in batches, as Keras's `predict`.
  public func predict(
    x: Tensor, batchSize: Int? = nil, verbose: Int = 0, callbacks: [Callback] = []
  ) throws -> Tensor {
    try predictOutputs(x: [x], batchSize: batchSize, verbose: verbose, callbacks: callbacks)[0]
  }

  /// Every output of a multi-input / multi-output model for `x`, computed in batches.
  public func predictOutputs(
    x: [Tensor], batchSize: Int? = nil, verbose: Int = 0, callbacks: [Callback] = []
  ) throws -> [Tensor] {
    let batchSize = batchSize ?? 32
    guard batchSize > 0 else {
      throw SwiftKerasError(
        .invalidArgument, "predict: batchSize must be positive, got \(batchSize)")
    }
    let data = TrainingData(x: x, y: [])
    try data.validate(context: "predict")
    var all = callbacks
    if verbose != 0 { all.append(ProgbarLogger()) }
    let steps = (data.count + batchSize - 1) / batchSize
    let list = CallbackList(
      all, model: self, params: TrainingParameters(epochs: 1, steps: steps, verbose: verbose))
    list.onPredictBegin()
    var pieces: [[Tensor]] = []
    var start = 0
    var step = 0
    while start < data.count {
      let end = min(start + batchSize, data.count)
      list.onPredictBatchBegin(step)
      pieces.append(try callOutputs(data.slice(start..<end).x, training: false).map { $0.detached })
      list.onPredictBatchEnd(step)
      start = end
      step += 1
    }
    list.onPredictEnd()
    guard let first = pieces.first else {
      throw SwiftKerasError(.invalidArgument, "predict: x has no samples")
    }
    return (0..<first.count).map { output in
      pieces.count == 1
        ? pieces[0][output] : Tensor.concatenate(pieces.map { $0[output] }, alongAxis: 0)
    }
  }

  // MARK: - on batch

  /// One training step on one batch; returns the running logs (metrics are not reset
  /// between calls, as in Keras).
  @discardableResult
  public func trainOnBatch(x: Tensor, y: Tensor, sampleWeight: Tensor? = nil) throws -> Logs {
    try trainOnBatch(x: [x], y: [y], sampleWeight: sampleWeight)
  }

  /// One training step of a multi-input / multi-output model.
  @discardableResult
  public func trainOnBatch(x: [Tensor], y: [Tensor], sampleWeight: Tensor? = nil) throws -> Logs {
    let data = TrainingData(x: x, y: y, sampleWeight: sampleWeight)
    try data.validate(context: "trainOnBatch")
    let compiled = try prepareForTraining(data, context: "trainOnBatch")
    return try trainStep(data, compiled: compiled)
  }

  /// The loss and metrics on one batch, without training.
  public func testOnBatch(x: Tensor, y: Tensor, sampleWeight: Tensor? = nil) throws -> Logs {
    let data = TrainingData(x: [x], y: [y], sampleWeight: sampleWeight)
    try data.validate(context: "testOnBatch")
    let compiled = try prepareForTraining(data, context: "testOnBatch")
    let list = CallbackList(
      [], model: self, params: TrainingParameters(epochs: 1, steps: 1, verbose: 0))
    return try evaluateData(
      data, batchSize: max(data.count, 1), verbose: 0, callbacks: list, compiled: compiled)
  }

  /// The model's output for one batch.
  public func predictOnBatch(x: Tensor) throws -> Tensor {
    try callOutputs([x], training: false)[0].detached
  }

  /// Resets the compiled metrics and the loss tracker.
  public func resetMetrics() { compiled?.resetMetrics() }
}
