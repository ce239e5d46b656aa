import ArgumentParser
import Foundation
import SwiftKeras
import SwiftKerasExamples

/// The FLOP floor of a training epoch: its multiply-adds of forward and backward passes
/// at the sgemm throughput this machine reaches now (1024×1024 products, measured in the
/// same run, so a busy machine lowers both the floor's speed and the frameworks').
enum FlopFloor {
  /// Prints the floor for `flopsPerEpoch` floating-point operations (two per multiply-add).
  static func report(flopsPerEpoch: Double, description: String) {
    let gflops = MatmulBenchmark.run(
      MatmulBenchmark.Case(label: "square 1024", m: 1024, n: 1024, k: 1024), samples: 5
    ).rawGflops
    print(
      "FLOP floor: \(description) = \(formatted(flopsPerEpoch / 1e9, 0)) GFLOP per epoch; "
        + "at the measured sgemm \(formatted(gflops, 0)) GFLOP/s (1024², both cores): "
        + "\(formatted(flopsPerEpoch / (gflops * 1e9), 2)) s")
  }
}

/// `swiftkeras-bench lstm`: an epoch of the row LSTM (LSTM(128) over Fashion-MNIST's 28
/// rows as 28 time steps → Dense(10, softmax)) at batch 64, next to Keras and PyTorch
/// (`nn.LSTM`, 2 threads) running the same model and data in the same run, with ratios.
struct LSTMBenchmark: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lstm",
    abstract: "Row-LSTM epoch time and peak memory against Keras and PyTorch.")

  @OptionGroup var peerOptions: PeerOptions
  @Option(name: .customLong("batch-size"), help: "Samples per step.") var batchSize = 64

  func runSwift() throws -> FrameworkResult {
    let ((xTrain, yTrain), (xTest, yTest)) = try FashionMNIST.load(scaled: true)
    let train = xTrain.reshaped(to: [-1, 28, 28])
    let test = xTest.reshaped(to: [-1, 28, 28])
    let dataMB = PeerComparison.residentMB()
    setRandomSeed(42)
    return try PeerComparison.measureSwift(
      try ExampleModels.rowLSTM(), x: train, y: yTrain, xTest: test, yTest: yTest,
      batchSize: batchSize, epochs: peerOptions.epochs, dataMB: dataMB)
  }

  func run() throws {
    // Per sample and step the gates take 2·(28 + 128)·512 FLOPs forward; the backward
    // pass takes twice the forward's products (input gradients are not needed).
    let (samples, steps, features, units): (Double, Double, Double, Double) = (60_000, 28, 28, 128)
    let gates: Double = samples * steps * 2 * (features + units) * 4 * units
    let dense: Double = samples * 2 * units * 10
    let forward = gates + dense
    FlopFloor.report(
      flopsPerEpoch: 3 * forward,
      description: "3 × forward (60,000 × 28 steps × 2·(28 + 128)·512, + the Dense)")
    try peerOptions.compare(
      title:
        "Row LSTM (LSTM(128) → Dense(10), 81,674 params), Fashion-MNIST 60,000 images as 28 steps of 28, batch \(batchSize), Adam; \(peerOptions.epochs) epochs each",
      kerasScript: "keras_lstm.py", torchScript: "torch_lstm.py", arguments: [String(batchSize)],
      swift: runSwift)
  }
}

/// `swiftkeras-bench transformer`: training epochs of one Transformer encoder block
/// (sequence 128, width 128, 4 heads, feed-forward 512, post-norm as PyTorch's default)
/// on random inputs regressed onto random targets with mean squared error, next to
/// PyTorch's `nn.TransformerEncoderLayer` in the same run.
struct TransformerBenchmark: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "transformer",
    abstract: "Transformer encoder block epoch time and peak memory against PyTorch.")

  @OptionGroup var peerOptions: PeerOptions
  @Option(name: .customLong("batch-size"), help: "Samples per step.") var batchSize = 32
  @Option(help: "Samples per epoch.") var samples = 1024

  static let (steps, width, heads, hidden) = (128, 128, 4, 512)

  func runSwift() throws -> FrameworkResult {
    var generator = RandomGenerator(seed: 42)
    let shape = [samples, Self.steps, Self.width]
    let x = Tensor.randomNormal(shape: shape, generator: &generator)
    let y = Tensor.randomNormal(shape: shape, generator: &generator)
    let dataMB = PeerComparison.residentMB()
    setRandomSeed(42)
    let model = try ExampleModels.transformerEncoderBlock(
      sequenceLength: Self.steps, width: Self.width, heads: Self.heads, hidden: Self.hidden)
    try model.compile(optimizer: "adam", loss: "mse")
    let timer = EpochTimer()
    try model.fit(
      x: x, y: y, batchSize: batchSize, epochs: peerOptions.epochs, verbose: 0,
      callbacks: [timer])
    return FrameworkResult(
      name: "swiftkeras", epochSeconds: timer.times, testAccuracy: .nan,
      peakMB: PeerComparison.residentMB("VmHWM"), dataMB: dataMB)
  }

  func run() throws {
    let (s, d, f) = (Double(Self.steps), Double(Self.width), Double(Self.hidden))
    // Per sample: Q, K, V and output projections 4·s·d·d multiply-adds, scores and
    // weighted values 2·s·s·d, the feed-forward network 2·s·d·f.
    let perSample: Double = 2 * (4 * s * d * d + 2 * s * s * d + 2 * s * d * f)
    let forward = Double(samples) * perSample
    FlopFloor.report(
      flopsPerEpoch: 3 * forward,
      description:
        "3 × forward (\(samples) samples × 2·(4·s·d² + 2·s²·d + 2·s·d·f), s = d = 128, f = 512)")
    var options = peerOptions
    options.peers = options.peers.split(separator: ",").filter { $0 == "pytorch" }.joined()
    try options.compare(
      title:
        "Transformer encoder block (sequence \(Self.steps), width \(Self.width), \(Self.heads) heads, feed-forward \(Self.hidden), dropout 0.1), \(samples) random samples, batch \(batchSize), Adam, MSE; \(peerOptions.epochs) epochs each",
      kerasScript: "", torchScript: "torch_transformer.py",
      arguments: [String(batchSize), String(samples)], swift: runSwift)
  }
}
