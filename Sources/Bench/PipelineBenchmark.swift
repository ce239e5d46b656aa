import ArgumentParser
import Foundation
import SwiftKeras
import SwiftKerasExamples

/// The Dataset pipeline's benchmarks: (a) reading a folder of 10,000 PNG files into
/// batches, against Keras's `image_dataset_from_directory` + tf.data in the same run, and
/// (b) the seed MLP fit from a prefetched Dataset against fit on tensors.
///
/// ```
/// swift run -c release swiftkeras-bench pipeline [--folder DIR] [--python PATH]
/// ```
struct PipelineBenchmark: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "pipeline",
    abstract: "Image-folder reading against Keras, and fit from a Dataset against tensors.")

  @Option(help: "The PNG folder (written by Scripts/bench/keras_image_folder.py if missing).")
  var folder = "/tmp/swiftkeras-fashion-mnist-png"
  @Option(help: "The Python with TensorFlow for the Keras peer.")
  var python = "/opt/kerasenv/bin/python"
  @Option(help: "Timed passes over the folder.") var passes = 3
  @Option(help: "Epochs of each MLP fit.") var epochs = 3

  func run() throws {
    let scripts = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(
        "Scripts/bench")
    // The peer first: it writes the folder when it is missing.
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = [
      scripts.appendingPathComponent("keras_image_folder.py").path, folder, String(passes),
    ]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    var kerasRate = Double.nan
    do {
      try process.run()
      let data = pipe.fileHandleForReading.readDataToEndOfFile()
      process.waitUntilExit()
      if let line = String(decoding: data, as: UTF8.self).split(separator: "\n").last,
        let json = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
        let rates = json["images_per_second"] as? [Double]
      {
        kerasRate = rates.max() ?? .nan
      }
    } catch {
      print("Keras peer: cannot run \(python): \(error)")
    }
    guard FileManager.default.fileExists(atPath: folder) else {
      throw ValidationError(
        "no folder \(folder): run Scripts/bench/keras_image_folder.py \(folder)")
    }
    let images = try imageDatasetFromDirectory(
      folder, colorMode: .grayscale, imageSize: [28, 28], batchSize: 32, seed: 1
    ).prefetch(2)
    var rates: [Double] = []
    for pass in 0..<passes {
      let start = Measurement.now()
      let iterator = try images.makeIterator(seed: 1, pass: pass)
      var count = 0
      while let batch = try iterator.next() { count += batch.x[0].shape[0] }
      rates.append(Double(count) / (Measurement.now() - start))
    }
    let swiftRate = rates.max() ?? .nan
    print("(a) reading \(folder) into batches of 32 at 28×28 (decode, resize, batch)")
    print(
      String(
        format: "  SwiftKeras %.0f images/s (passes: %@)", swiftRate,
        rates.map { String(format: "%.0f", $0) }.joined(separator: " ")))
    print(
      String(
        format: "  Keras image_dataset_from_directory + tf.data AUTOTUNE %.0f images/s", kerasRate))
    print(String(format: "  ratio %.2f", swiftRate / kerasRate))

    let ((xTrain, yTrain), _) = try FashionMNIST.load(scaled: true)
    let flat = xTrain.reshaped(to: [-1, 784])
    setRandomSeed(3)
    let tensorModel = try ExampleModels.seedMLP()
    try tensorModel.compile(
      optimizer: "adam", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"])
    let tensorTimer = EpochTimer()
    try tensorModel.fit(
      x: flat, y: yTrain, batchSize: 32, epochs: epochs, verbose: 0, callbacks: [tensorTimer])
    setRandomSeed(3)
    let datasetModel = try ExampleModels.seedMLP()
    try datasetModel.compile(
      optimizer: "adam", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"])
    let datasetTimer = EpochTimer()
    let pipeline = try FashionMNIST.dataset(.train).shuffle().batch(32).map { x, y in
      (x.reshaped(to: [-1, 784]) / 255, y)
    }.prefetch(2)
    try datasetModel.fit(pipeline, epochs: epochs, verbose: 0, callbacks: [datasetTimer])
    let tensorBest = tensorTimer.times.min() ?? .nan
    let datasetBest = datasetTimer.times.min() ?? .nan
    print("(b) the seed MLP, one epoch of 60,000 images (best of \(epochs))")
    print(String(format: "  fit on tensors           %.3f s", tensorBest))
    print(
      String(
        format: "  fit on a Dataset (bytes, shuffle, batch, map, prefetch) %.3f s", datasetBest))
    print(String(format: "  ratio %.3f", datasetBest / tensorBest))
  }
}
