import ArgumentParser
import Foundation
import SwiftKeras
import SwiftKerasExamples

/// `swiftkeras-bench mlp`: an epoch of the seed MLP on Fashion-MNIST at batch 32, next to
/// Keras (TensorFlow and JAX backends) and PyTorch running the same model and data in
/// the same run, with ratios.
struct MLPBenchmark: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "mlp",
    abstract: "Seed MLP epoch time and peak memory against Keras and PyTorch.")

  @Option(help: "Epochs per framework; the fastest epoch is compared.") var epochs = 3
  @Option(help: "Python with tensorflow / jax / torch installed (peers are skipped if absent).")
  var python = "/opt/kerasenv/bin/python"
  @Option(help: "Peers to run: keras-tensorflow, keras-jax, pytorch (comma-separated).")
  var peers = "keras-tensorflow,keras-jax,pytorch"
  @Flag(help: "Skip the peers.") var swiftOnly = false

  func runSwift() throws -> FrameworkResult {
    let ((xTrain, yTrain), (xTest, yTest)) = try FashionMNIST.load(scaled: true)
    let train = xTrain.reshaped(to: [-1, 784])
    let test = xTest.reshaped(to: [-1, 784])
    let dataMB = PeerComparison.residentMB()
    setRandomSeed(42)
    let model = try ExampleModels.seedMLP()
    return try PeerComparison.measureSwift(
      model, x: train, y: yTrain, xTest: test, yTest: yTest, batchSize: 32, epochs: epochs,
      dataMB: dataMB)
  }

  func run() throws {
    print(
      "Seed MLP (784-128-10, dropout 0.2), Fashion-MNIST 60,000 images, batch 32, Adam; \(epochs) epochs each"
    )
    print(
      "load averages: \(Measurement.loadAverages().map { formatted($0, 2) }.joined(separator: " "))"
    )
    var results = [try runSwift()]
    if !swiftOnly {
      for peer in peers.split(separator: ",").map(String.init) {
        if let result = PeerComparison.runPeer(
          peer, kerasScript: "keras_mlp.py", torchScript: "torch_mlp.py", python: python,
          arguments: [String(epochs)])
        {
          results.append(result)
        }
      }
    }
    PeerComparison.printTable(results)
  }
}
