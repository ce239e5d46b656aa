import ArgumentParser
import Foundation
import SwiftKeras
import SwiftKerasExamples

/// `swiftkeras-bench cnn`: an epoch of the demo CNN (Conv2D 32 → MaxPooling2D → Conv2D 64 →
/// MaxPooling2D → Dense 128 → Dense 10) on Fashion-MNIST, next to Keras (TensorFlow and
/// JAX backends) and PyTorch running the same model and data in the same run, with ratios.
struct CNNBenchmark: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cnn",
    abstract: "Demo CNN epoch time and peak memory against Keras and PyTorch.")

  @OptionGroup var peerOptions: PeerOptions
  @Option(name: .customLong("batch-size"), help: "Samples per step.") var batchSize = 32
  @Option(help: "Train on only the first N images (0 = all; peers always use all).")
  var limit = 0
  @Flag(help: "Instead of epochs, time each layer's forward and backward pass on one batch.")
  var layers = false

  func runSwift() throws -> FrameworkResult {
    let ((xTrain, yTrain), (xTest, yTest)) = try FashionMNIST.load(scaled: true)
    var train = xTrain.reshaped(to: [-1, 28, 28, 1])
    var labels = yTrain
    if limit > 0 && limit < train.shape[0] {
      train = train.slice(0..<limit)
      labels = labels.slice(0..<limit)
    }
    let test = xTest.reshaped(to: [-1, 28, 28, 1])
    let dataMB = PeerComparison.residentMB()
    setRandomSeed(42)
    let model = try ExampleModels.fashionCNN()
    return try PeerComparison.measureSwift(
      model, x: train, y: labels, xTest: test, yTest: yTest, batchSize: batchSize,
      epochs: peerOptions.epochs,
      dataMB: dataMB)
  }

  func run() throws {
    if layers {
      try LayerTimings.run(
        ExampleModels.fashionCNN(), inputShape: [28, 28, 1], batchSize: batchSize)
      return
    }
    try peerOptions.compare(
      title:
        "Demo CNN (225,034 params), Fashion-MNIST 60,000 images, batch \(batchSize), Adam; \(peerOptions.epochs) epochs each",
      kerasScript: "keras_cnn.py", torchScript: "torch_cnn.py", arguments: [String(batchSize)],
      swift: runSwift)
  }
}
