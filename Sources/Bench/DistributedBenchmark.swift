import ArgumentParser
import Foundation
import SwiftKeras
import SwiftKerasExamples

/// `swiftkeras-bench distributed`: data-parallel epoch time of the seed MLP or the demo
/// CNN on Fashion-MNIST, to run under `mpirun -np N` (and without it for one rank); rank 0
/// prints the figures. Compare runs with different N for the scaling figure in
/// Docs/Distributed.md.
struct DistributedBenchmark: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "distributed",
    abstract: "Data-parallel epoch time; run under mpirun -np N.")

  @Option(help: "mlp or cnn") var model = "mlp"
  @Option(help: "The global batch size.") var batchSize = 256
  @Option(help: "Epochs; the first is reported apart (warm-up).") var epochs = 3
  @Option(help: "Training images used (0: all 60,000).") var limit = 0

  func run() throws {
    let strategy = try DataParallel.mpi()
    let ((images, labels), (testImages, testLabels)) = try FashionMNIST.load(scaled: true)
    let shape = model == "cnn" ? [-1, 28, 28, 1] : [-1, 784]
    var x = images.reshaped(to: shape)
    var y = labels
    if limit > 0 && limit < x.shape[0] {
      x = x[rows: 0..<limit]
      y = y[rows: 0..<limit]
    }
    setRandomSeed(42)
    let network = model == "cnn" ? try ExampleModels.fashionCNN() : try ExampleModels.seedMLP()
    try network.compile(
      optimizer: "adam", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"])
    let timer = EpochTimer()
    try network.fit(
      x: x, y: y, batchSize: batchSize, epochs: epochs, verbose: 0, callbacks: [timer],
      distribution: strategy)
    let scores = try network.evaluate(
      x: testImages.reshaped(to: shape), y: testLabels, batchSize: 256, verbose: 0,
      distribution: strategy)
    guard strategy.isChief else { return }
    let later = timer.times.dropFirst()
    let typical = later.isEmpty ? timer.times[0] : later.sorted()[later.count / 2]
    print(
      String(
        format: "%@ ranks %d, global batch %d: epoch %.3f s (first %.3f s), test accuracy %.4f",
        model, strategy.size, batchSize, typical, timer.times.first ?? 0,
        scores["accuracy"] ?? .nan))
  }
}
