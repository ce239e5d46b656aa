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

  @OptionGroup var peerOptions: PeerOptions

  func runSwift() throws -> FrameworkResult {
    let ((xTrain, yTrain), (xTest, yTest)) = try FashionMNIST.load(scaled: true)
    let train = xTrain.reshaped(to: [-1, 784])
    let test = xTest.reshaped(to: [-1, 784])
    let dataMB = PeerComparison.residentMB()
    setRandomSeed(42)
    let model = try ExampleModels.seedMLP()
    return try PeerComparison.measureSwift(
      model, x: train, y: yTrain, xTest: test, yTest: yTest, batchSize: 32,
      epochs: peerOptions.epochs,
      dataMB: dataMB)
  }

  func run() throws {
    try peerOptions.compare(
      title:
        "Seed MLP (784-128-10, dropout 0.2), Fashion-MNIST 60,000 images, batch 32, Adam; \(peerOptions.epochs) epochs each",
      kerasScript: "keras_mlp.py", torchScript: "torch_mlp.py", swift: runSwift)
  }
}
