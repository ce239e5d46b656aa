import SwiftKerasCore
import SwiftKerasLayers
import SwiftKerasTraining

/// Data-parallel training over the ranks of a ``Communicator``, as Horovod's and
/// PyTorch DDP's: every rank holds the whole model, trains on its share of each global
/// batch, and the ranks sum their gradients before every optimizer step, so all of them
/// apply the same update.
///
/// ```swift
/// let strategy = try DataParallel.mpi()          // rank and size from mpirun
/// try model.fit(x: xTrain, y: yTrain, batchSize: 256, epochs: 5, distribution: strategy)
/// ```
///
/// - `batchSize` stays the *global* batch: each of N ranks trains on about batchSize / N
///   of its samples (`shard(_:)`), and the gradient is the global batch's mean.
/// - At the start of `fit`, the ranks check they hold the same model and data sizes, then
///   take rank 0's weights, optimizer state and shuffling seed. Every rank shuffles the
///   same way and takes its own rows of each batch, so an epoch visits each sample once.
/// - Gradients are summed in buffers of up to ``bucketBytes`` (several tensors per
///   collective); the sum adds the ranks in rank order, so every rank gets the same bits.
/// - Losses and metrics are merged from every rank's state (``MergeableMetric``), so
///   History, the progress bar and callbacks see global values, the same on every rank.
/// - Only rank 0 (``isChief``) prints and runs the callbacks that write files
///   (``Callback/runsOnChiefOnly``); the others run every other callback on the same
///   logs, so EarlyStopping and ReduceLROnPlateau decide the same everywhere.
/// - BatchNormalization keeps per-rank batch statistics, Keras's default.
public final class DataParallel {
  /// The group the ranks train in.
  public let communicator: any Communicator
  /// The most gradient bytes summed by one collective (16 MiB by default); smaller
  /// buckets mean more, smaller messages.
  public var bucketBytes: Int

  /// Data-parallel training over `communicator` (one process by default).
  public init(
    communicator: any Communicator = SingleProcessCommunicator(), bucketBytes: Int = 16 << 20
  ) {
    self.communicator = communicator
    self.bucketBytes = bucketBytes
  }

  /// This process's rank.
  public var rank: Int { communicator.rank }
  /// The number of ranks.
  public var size: Int { communicator.size }
  /// Whether this is rank 0, the one that prints and writes files.
  public var isChief: Bool { communicator.rank == 0 }

  /// The rows of a `count`-sample batch this rank trains on: contiguous, as even as
  /// possible (the first `count % size` ranks get one more), covering every row once.
  public func shard(_ count: Int) -> Range<Int> {
    let (base, extra) = count.quotientAndRemainder(dividingBy: size)
    let start = rank * base + Swift.min(rank, extra)
    return start..<(start + base + (rank < extra ? 1 : 0))
  }

  // MARK: - Start of training

  /// Throws on every rank when the ranks do not agree on the model or the data.
  func checkAgreement(
    model: Model, samples: Int, batchSize: Int, epochs: Int, steps: Int, context: String
  ) throws {
    let weights = model.weights
    var layout = FNV1a()
    for weight in weights {
      layout.add(weight.untrackedValue.shape.count)
      for extent in weight.untrackedValue.shape { layout.add(extent) }
    }
    let facts: [(String, Int64)] = [
      ("weight tensors", Int64(weights.count)),
      ("weight layout hash", Int64(bitPattern: layout.hash)),
      ("samples", Int64(samples)), ("batchSize", Int64(batchSize)), ("epochs", Int64(epochs)),
      ("steps per epoch", Int64(steps)),
    ]
    let all = try communicator.allGather(facts.map(\.1))
    for (r, theirs) in all.enumerated() {
      for (i, fact) in facts.enumerated() where theirs[i] != all[0][i] {
        throw SwiftKerasError(
          .invalidState,
          "\(context) (data-parallel): rank \(r) has \(fact.0) \(theirs[i]) but rank 0 has \(all[0][i]); every rank must build the same model and load the same data"
        )
      }
    }
  }

  /// Gives every rank rank 0's weights, optimizer state, shuffling seed and resume epoch.
  func adoptChiefState(of model: Model) throws {
    var values: [Float] = []
    let optimizerState = model.optimizer?.stateVariables() ?? []
    let variables = model.weights + optimizerState
    for variable in variables { values += variable.untrackedValue.scalars }
    try communicator.broadcast(&values, from: 0)
    var offset = 0
    for variable in variables {
      let shape = variable.untrackedValue.shape
      let count = variable.untrackedValue.count
      variable.assign(Tensor(shape: shape, scalars: Array(values[offset..<(offset + count)])))
      offset += count
    }
    // Random layers draw the same masks on every rank (each keeps its rows of them).
    for layer in Self.randomLayers(in: model) {
      var state = layer.generatorState
      for i in state.indices { state[i] = try communicator.broadcast(state[i], from: 0) }
      layer.generatorState = state
    }
    model.shuffleSeed = try communicator.broadcast(model.shuffleSeed, from: 0)
    let resume = try communicator.broadcast(
      UInt64(bitPattern: Int64(model.resumeEpoch ?? -1)), from: 0)
    model.resumeEpoch = Int64(bitPattern: resume) >= 0 ? Int(Int64(bitPattern: resume)) : nil
    if var optimizer = model.optimizer {
      let iterations = try communicator.broadcast(UInt64(optimizer.iterations), from: 0)
      optimizer.iterations = Int(iterations)
      var rate = [optimizer.learningRate]
      try communicator.broadcast(&rate, from: 0)
      optimizer.learningRate = rate[0]
    }
  }

  /// Every layer of `model`, nested ones too, each once.
  private static func allLayers(in model: Model) -> [Layer] {
    var found: [Layer] = []
    var seen = Set<ObjectIdentifier>()
    func visit(_ layer: Layer) {
      guard seen.insert(ObjectIdentifier(layer)).inserted else { return }
      found.append(layer)
      for child in layer.sublayers { visit(child) }
    }
    for layer in model.layers { visit(layer) }
    return found
  }

  /// Every layer of `model` (nested ones too) that draws random numbers.
  private static func randomLayers(in model: Model) -> [BaseRandomLayer] {
    allLayers(in: model).compactMap { $0 as? BaseRandomLayer }
  }

  /// Throws when a synchronized BatchNormalization would meet a batch smaller than the
  /// number of ranks: a rank without rows skips the forward pass its statistics need.
  func checkSynchronizedStatistics(of model: Model, samples: Int, batchSize: Int) throws {
    let last = samples % batchSize
    guard size > 1, (last > 0 && last < size) || (samples > 0 && batchSize < size) else { return }
    let synchronized = Self.allLayers(in: model).first {
      ($0 as? BatchNormalization)?.synchronized == true
    }
    guard let first = synchronized?.name else { return }
    throw SwiftKerasError(
      .invalidArgument,
      "fit (data-parallel): layer '\(first)' (BatchNormalization, synchronized) needs every batch to have at least \(size) rows, one per rank, but \(samples) samples in batches of \(batchSize) leave a batch of \(last == 0 ? batchSize : last); choose a batch size or sample count that avoids it"
    )
  }

  /// The context through which layers sum values over the ranks in this step.
  func crossReplicaContext(localCount: Int, globalCount: Int) -> CrossReplicaContext {
    let communicator = self.communicator
    return CrossReplicaContext(share: globalCount == 0 ? 0 : Float(localCount) / Float(globalCount))
    { values in
      var summed = values
      do {
        try communicator.allReduceSum(&summed)
      } catch {
        // Inside a forward or backward pass there is no way back: the ranks cannot go on.
        communicator.abort(reason: "summing statistics across ranks failed: \(error)")
      }
      return summed
    }
  }

  // MARK: - Each step

  /// The global batch's gradients from this rank's `gradients` of its `localCount` rows
  /// of a `globalCount`-row batch: each rank's mean gradient is weighted by its share of
  /// the rows and the ranks' contributions are summed. A gradient that is nil on every
  /// rank stays nil.
  func sumGradients(
    _ gradients: [Tensor?], of variables: [Variable], localCount: Int, globalCount: Int
  )
    throws -> [Tensor?]
  {
    let share = globalCount == 0 ? 0 : Float(localCount) / Float(globalCount)
    var result = [Tensor?](repeating: nil, count: gradients.count)
    // Bucket boundaries depend only on the variables' sizes, the same on every rank.
    let floatsPerBucket = Swift.max(1, bucketBytes / MemoryLayout<Float>.size)
    var start = 0
    while start < variables.count {
      var end = start
      var floats = 0
      repeat {
        floats += variables[end].untrackedValue.count + 1
        end += 1
      } while end < variables.count
        && floats + variables[end].untrackedValue.count < floatsPerBucket
      // One presence flag per tensor, then the scaled gradients.
      var buffer = [Float](repeating: 0, count: floats)
      var offset = end - start
      for i in start..<end {
        let count = variables[i].untrackedValue.count
        if let gradient = gradients[i] {
          buffer[i - start] = 1
          gradient.withUnsafeBufferPointer { source in
            for j in 0..<count { buffer[offset + j] = source[j] * share }
          }
        }
        offset += count
      }
      try communicator.allReduceSum(&buffer)
      offset = end - start
      for i in start..<end {
        let shape = variables[i].untrackedValue.shape
        let count = variables[i].untrackedValue.count
        if buffer[i - start] > 0 {
          result[i] = Tensor(shape: shape, scalars: Array(buffer[offset..<(offset + count)]))
        }
        offset += count
      }
      start = end
    }
    return result
  }

  /// The logs of `compiled`'s metrics merged over every rank; the local states are kept.
  /// A metric that is not a ``MergeableMetric`` keeps this rank's value.
  func globalLogs(_ compiled: CompiledTraining) throws -> Logs {
    let metrics = compiled.allMetrics.compactMap { $0 as? any MergeableMetric }
    let local = metrics.map(\.mergeableState)
    let lengths = try communicator.allGather(local.map { Int64($0.count) })
    let widths = local.indices.map { i in Int(lengths.map { $0[i] }.max() ?? 0) }
    var flat: [Double] = []
    for (i, state) in local.enumerated() {
      flat += state + [Double](repeating: 0, count: widths[i] - state.count)
    }
    try communicator.allReduceSum(&flat)
    var offset = 0
    for (i, metric) in metrics.enumerated() {
      if widths[i] > 0 { metric.mergeableState = Array(flat[offset..<(offset + widths[i])]) }
      offset += widths[i]
    }
    let logs = compiled.logs()
    for (i, metric) in metrics.enumerated() { metric.mergeableState = local[i] }
    return logs
  }

  /// Every rank's rows of each output, joined in rank order: the outputs of the whole
  /// data. `pieces[k]` has `count` rows on this rank (``shard(_:)`` of the total).
  func gatherRows(_ pieces: [Tensor], total: Int) throws -> [Tensor] {
    try pieces.map { piece in
      let rowShape = Array(piece.shape.dropFirst())
      let width = rowShape.reduce(1, *)
      let longest = (total + size - 1) / size
      var padded = piece.scalars
      padded += [Float](repeating: 0, count: longest * width - padded.count)
      let all = try communicator.allGather(padded)
      var joined: [Float] = []
      joined.reserveCapacity(total * width)
      for r in 0..<size {
        let (base, extra) = total.quotientAndRemainder(dividingBy: size)
        let rows = base + (r < extra ? 1 : 0)
        joined += all[r].prefix(rows * width)
      }
      return Tensor(shape: [total] + rowShape, scalars: joined)
    }
  }
}

/// 64-bit FNV-1a over integers: a layout fingerprint that is the same in every process.
private struct FNV1a {
  var hash: UInt64 = 0xcbf2_9ce4_8422_2325
  mutating func add(_ value: Int) {
    withUnsafeBytes(of: Int64(value).littleEndian) { bytes in
      for byte in bytes {
        hash ^= UInt64(byte)
        hash = hash &* 0x0000_0100_0000_01B3
      }
    }
  }
}

/// What a data-parallel `fit` tells its training steps: the strategy, the rows of this
/// rank's batch and of the global batch it is part of.
package struct DataParallelStep {
  let strategy: DataParallel
  var localCount: Int
  var globalCount: Int
}
