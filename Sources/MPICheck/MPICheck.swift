import Foundation
import SwiftKeras
import SwiftKerasExamples

/// `swiftkeras-mpi-check MODE OUTPUT-DIR`: the data-parallel scenarios the
/// DistributedTests run under `mpirun -np 2` (and without it, as the one-process
/// reference). Rank 0 writes `OUTPUT-DIR/result.json`; every rank may write
/// `OUTPUT-DIR/rank<r>/`.
@main
struct MPICheck {
  static func main() {
    let arguments = CommandLine.arguments
    guard arguments.count >= 3 else {
      FileHandle.standardError.write(Data("usage: swiftkeras-mpi-check MODE OUTPUT-DIR\n".utf8))
      exit(2)
    }
    do {
      try run(mode: arguments[1], output: URL(fileURLWithPath: arguments[2]))
    } catch {
      FileHandle.standardError.write(Data("swiftkeras-mpi-check: \(error)\n".utf8))
      exit(1)
    }
  }

  /// 501 samples of 20 features in 3 classes, the same in every process.
  static func data(samples: Int = 501) -> (x: Tensor, y: Tensor) {
    var x: [Float] = []
    var y: [Float] = []
    for i in 0..<samples {
      var scores: [Float] = [0, 0, 0]
      for j in 0..<20 {
        let value = Float(sin(Double(i) * 0.37 + Double(j) * 1.3) + cos(Double(i * j) * 0.011))
        x.append(value)
        scores[j % 3] += value
      }
      y.append(Float(scores.indices.max { scores[$0] < scores[$1] } ?? 0))
    }
    return (Tensor(shape: [samples, 20], scalars: x), Tensor(shape: [samples], scalars: y))
  }

  static func model(dropout: Bool = false) throws -> Sequential {
    GlobalRandom.seed(42)
    let model =
      dropout
      ? try Sequential([
        Input(shape: [20]), Dense(32, activation: .relu), Dropout(0.2),
        Dense(3, activation: .softmax),
      ])
      : try Sequential([
        Input(shape: [20]), Dense(32, activation: .relu), Dense(3, activation: .softmax),
      ])
    try model.compile(
      optimizer: Adam(learningRate: 0.01), loss: "sparse_categorical_crossentropy",
      metrics: ["accuracy"])
    return model
  }

  static func run(mode: String, output: URL) throws {
    let strategy = try DataParallel.mpi(timeout: .seconds(20))
    let rankFolder = output.appendingPathComponent("rank\(strategy.rank)")
    try FileManager.default.createDirectory(at: rankFolder, withIntermediateDirectories: true)
    var result: [String: Any] = ["ranks": strategy.size]
    let (x, y) = data()
    switch mode {
    case "equivalence":
      // Trains (with Dropout) and writes the weights, History and evaluate/predict results.
      let model = try model(dropout: true)
      let history = try model.fit(
        x: x, y: y, batchSize: 64, epochs: 3, verbose: 0, validationSplit: 0.2,
        distribution: strategy)
      result["weights"] = model.getWeights().flatMap(\.scalars).map(Double.init)
      result["history"] = Dictionary(
        uniqueKeysWithValues: history.history.map { ($0.key, $0.value.map(Double.init)) })
      let scores = try model.evaluate(x: x, y: y, batchSize: 50, verbose: 0, distribution: strategy)
      result["evaluate"] = Dictionary(
        uniqueKeysWithValues: scores.map { ($0.key, Double($0.value)) })
      result["predict"] = try model.predict(x: x, batchSize: 50, distribution: strategy).scalars
        .map(Double.init)
    case "seed-mlp":
      // The seed MLP (with its Dropout) on the first 4,096 Fashion-MNIST images; every
      // rank notes the host it ran on.
      try ProcessInfo.processInfo.hostName.write(
        to: rankFolder.appendingPathComponent("host.txt"), atomically: true, encoding: .utf8)
      let ((images, labels), _) = try FashionMNIST.load(scaled: true)
      let x = images[rows: 0..<4096].reshaped(to: [-1, 784])
      let y = labels[rows: 0..<4096]
      GlobalRandom.seed(42)
      let model = try ExampleModels.seedMLP()
      try model.compile(
        optimizer: "adam", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"])
      let history = try model.fit(
        x: x, y: y, batchSize: 64, epochs: 2, verbose: 0, distribution: strategy)
      result["weights"] = model.getWeights().flatMap(\.scalars).map(Double.init)
      result["accuracy"] = history.history["accuracy"]?.map(Double.init)
    case "sync-bn", "rank-bn":
      // Synchronized (or per-rank) BatchNormalization on 512 samples, batch 64. SGD, not
      // Adam: the Dense bias before the normalization has a zero gradient up to rounding,
      // which Adam's step normalization would blow up to full-size steps.
      let (x, y) = data(samples: 512)
      GlobalRandom.seed(42)
      let model = try Sequential([
        Input(shape: [20]), Dense(16),
        BatchNormalization(synchronized: mode == "sync-bn"), ReLU(),
        Dense(3, activation: .softmax),
      ])
      try model.compile(
        optimizer: SGD(learningRate: 0.1), loss: "sparse_categorical_crossentropy")
      try model.fit(x: x, y: y, batchSize: 64, epochs: 2, verbose: 0, distribution: strategy)
      result["weights"] = model.getWeights().flatMap(\.scalars).map(Double.init)
    case "dataset":
      // The same training from a shuffled, mapped, prefetched Dataset pipeline.
      let model = try model(dropout: true)
      let pipeline = Dataset(x: x, y: y).shuffle(bufferSize: 1000).batch(64).map { x, y in
        (x * 2, y)
      }.prefetch(2)
      let history = try model.fit(pipeline, epochs: 3, verbose: 0, distribution: strategy)
      result["weights"] = model.getWeights().flatMap(\.scalars).map(Double.init)
      result["loss"] = history.history["loss"]?.map(Double.init)
    case "sharding":
      // Which samples each rank trained on, per epoch: feature 0 of sample i is unique.
      let model = try RecordingModel.make()
      try model.fit(x: x, y: y, batchSize: 64, epochs: 2, verbose: 0, distribution: strategy)
      // Epochs separated by -1, padded with -2 to the longest rank's length.
      var mine: [Float] = model.seen.flatMap { $0 + [-1] }
      let lengths = try strategy.communicator.allGather([Int64(mine.count)])
      let longest = Int(lengths.map { $0[0] }.max() ?? 0)
      mine += [Float](repeating: -2, count: longest - mine.count)
      let seen = try strategy.communicator.allGather(mine)
      result["seen"] = seen.map { $0.map(Double.init) }
      result["firstFeatures"] = (0..<x.shape[0]).map { Double(x[$0, 0]) }
    case "files":
      // Every rank is given its own folder; only rank 0 may write into it.
      let model = try model()
      try model.fit(
        x: x, y: y, batchSize: 64, epochs: 2, verbose: 1,
        callbacks: [
          CSVLogger(rankFolder.appendingPathComponent("log.csv").path),
          ModelCheckpoint(filepath: rankFolder.appendingPathComponent("model.keras").path),
          TensorBoard(logDir: rankFolder.appendingPathComponent("tensorboard").path),
          // Reduces the rate every epoch (no loss improves by 10), printing on rank 0 only.
          ReduceLROnPlateau(monitor: "loss", factor: 0.5, patience: 0, verbose: 1, minDelta: 10),
        ], distribution: strategy)
    case "mismatch":
      // Rank 1 loads fewer samples.
      let model = try model()
      let samples = strategy.rank == 1 ? 400 : 501
      let (x, y) = data(samples: samples)
      do {
        try model.fit(x: x, y: y, batchSize: 64, epochs: 1, verbose: 0, distribution: strategy)
        result["error"] = NSNull()
      } catch {
        result["error"] = "\(error)"
      }
    case "kill":
      // Rank 1 dies (SIGKILL) in the second epoch; the others must not hang.
      let model = try model()
      let killer = LambdaCallback(onTrainBatchEnd: { batch, _ in
        if strategy.rank == 1 && batch == 3 { kill(getpid(), SIGKILL) }
      })
      try model.fit(
        x: x, y: y, batchSize: 16, epochs: 50, verbose: 0, callbacks: [killer],
        distribution: strategy)
    case "throw":
      // Rank 1 throws in a callback; the program ends with that error.
      let model = try model()
      let failing = FailingCallback(rank: strategy.rank)
      try model.fit(
        x: x, y: y, batchSize: 16, epochs: 50, verbose: 0, callbacks: [failing],
        distribution: strategy)
    case "backup", "backup-interrupted":
      // BackupAndRestore in output/backup; "backup-interrupted" kills rank 0 after epoch 2
      // has been backed up, a rerun of "backup" resumes there.
      let model = try model()
      var callbacks: [Callback] = [
        BackupAndRestore(backupDirectory: output.appendingPathComponent("backup").path)
      ]
      if mode == "backup-interrupted" {
        callbacks.append(
          LambdaCallback(onEpochBegin: { epoch, _ in
            if strategy.rank == 0 && epoch == 2 { kill(getpid(), SIGKILL) }
          }))
      }
      let history = try model.fit(
        x: x, y: y, batchSize: 64, epochs: 4, verbose: 0, callbacks: callbacks,
        distribution: strategy)
      result["weights"] = model.getWeights().flatMap(\.scalars).map(Double.init)
      result["epochs"] = history.epoch
    default:
      throw SwiftKerasError(.invalidArgument, "unknown mode '\(mode)'")
    }
    if strategy.isChief {
      let json = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
      try json.write(to: output.appendingPathComponent("result.json"))
    }
  }
}

/// A model that records feature 0 of every sample its training steps see.
final class RecordingModel: Model {
  var seen: [[Float]] = []
  private let hidden = Dense(8, activation: .relu)
  private let classifier = Dense(3, activation: .softmax)

  static func make() throws -> RecordingModel {
    GlobalRandom.seed(7)
    let model = RecordingModel()
    try model.compile(optimizer: SGD(learningRate: 0.01), loss: "sparse_categorical_crossentropy")
    return model
  }

  override func call(_ inputs: [Tensor], training: Bool) throws -> Tensor {
    try classifier(try hidden(inputs[0]))
  }

  override func trainStep(_ batch: TrainingBatch) throws -> Logs {
    if seen.count <= currentEpoch { seen.append([]) }
    let x = batch.x[0]
    seen[currentEpoch] += (0..<batch.count).map { x[$0, 0] }
    return try super.trainStep(batch)
  }

  var currentEpoch: Int { history?.epoch.count ?? 0 }
}

/// Throws on rank 1 at its fourth batch.
final class FailingCallback: Callback {
  let rank: Int
  init(rank: Int) { self.rank = rank }
  override func onTrainBatchEnd(_ batch: Int, logs: Logs) throws {
    if rank == 1 && batch == 3 {
      throw SwiftKerasError(.invalidState, "rank 1 fails on purpose at batch 3")
    }
  }
}
