import ArgumentParser
import Foundation
import SwiftKeras

/// `swiftkeras-bench cnn`: an epoch of the demo CNN (Conv2D 32 → MaxPooling2D → Conv2D 64 →
/// MaxPooling2D → Dense 128 → Dense 10) on Fashion-MNIST, next to Keras (TensorFlow and
/// JAX backends) and PyTorch running the same model and data in the same run, with ratios.
struct CNNBenchmark: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cnn",
    abstract: "Demo CNN epoch time and peak memory against Keras and PyTorch.")

  @Option(help: "Epochs per framework; the fastest epoch is compared.") var epochs = 3
  @Option(help: "Python with tensorflow / jax / torch installed (peers are skipped if absent).")
  var python = "/opt/kerasenv/bin/python"
  @Option(help: "Peers to run: keras-tensorflow, keras-jax, pytorch (comma-separated).")
  var peers = "keras-tensorflow,keras-jax,pytorch"
  @Flag(help: "Skip the peers.") var swiftOnly = false
  @Option(name: .customLong("batch-size"), help: "Samples per step.") var batchSize = 32
  @Option(help: "Train on only the first N images (0 = all; peers always use all).")
  var limit = 0

  struct Result {
    var name: String
    var epochSeconds: [Double]
    var testAccuracy: Double
    var peakMB: Double
    var dataMB: Double
    var best: Double { epochSeconds.min() ?? .nan }
  }

  final class EpochTimer: Callback {
    var start = 0.0
    var times: [Double] = []
    override func onEpochBegin(_ epoch: Int, logs: Logs) { start = Measurement.now() }
    override func onEpochEnd(_ epoch: Int, logs: Logs) { times.append(Measurement.now() - start) }
  }

  func runSwift() throws -> Result {
    let ((xTrain, yTrain), (xTest, yTest)) = try FashionMNIST.load(scaled: true)
    var train = xTrain.reshaped(to: [-1, 28, 28, 1])
    var labels = yTrain
    if limit > 0 && limit < train.shape[0] {
      train = train.slice(0..<limit)
      labels = labels.slice(0..<limit)
    }
    let test = xTest.reshaped(to: [-1, 28, 28, 1])
    let dataMB = Double(DatasetsBenchmark.procStatusKilobytes("VmRSS") ?? 0) / 1024
    setRandomSeed(42)
    let model = try Sequential([
      Input(shape: [28, 28, 1]),
      Conv2D(32, kernelSize: 3, activation: .relu), MaxPooling2D(2),
      Conv2D(64, kernelSize: 3, activation: .relu), MaxPooling2D(2),
      Flatten(), Dense(128, activation: .relu), Dense(10, activation: .softmax),
    ])
    model.compile(optimizer: "adam", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"])
    let timer = EpochTimer()
    try model.fit(
      x: train, y: labels, batchSize: batchSize, epochs: epochs, verbose: 0, callbacks: [timer])
    let accuracy = try model.evaluate(x: test, y: yTest, verbose: 0)["accuracy"] ?? .nan
    let peakMB = Double(DatasetsBenchmark.procStatusKilobytes("VmHWM") ?? 0) / 1024
    return Result(
      name: "swiftkeras", epochSeconds: timer.times, testAccuracy: Double(accuracy), peakMB: peakMB,
      dataMB: dataMB)
  }

  func runPeer(_ peer: String) -> Result? {
    let scripts = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Scripts/bench")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    var environment = ProcessInfo.processInfo.environment
    let script: String
    switch peer {
    case "keras-tensorflow":
      script = "keras_cnn.py"
      environment["KERAS_BACKEND"] = "tensorflow"
    case "keras-jax":
      script = "keras_cnn.py"
      environment["KERAS_BACKEND"] = "jax"
    case "pytorch":
      script = "torch_cnn.py"
    default:
      print("unknown peer \(peer)")
      return nil
    }
    process.arguments = [
      scripts.appendingPathComponent(script).path, String(epochs), String(batchSize),
    ]
    process.environment = environment
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch {
      print("  \(peer): cannot run \(python) (\(error)); skipped")
      return nil
    }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0,
      let line = String(decoding: data, as: UTF8.self).split(separator: "\n").last,
      let json = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
    else {
      print("  \(peer): failed (exit \(process.terminationStatus)); is it installed in \(python)?")
      return nil
    }
    return Result(
      name: peer, epochSeconds: (json["epoch_seconds"] as? [Double]) ?? [],
      testAccuracy: (json["test_accuracy"] as? Double) ?? .nan,
      peakMB: (json["peak_rss_mb"] as? Double) ?? .nan,
      dataMB: (json["rss_after_data_mb"] as? Double) ?? .nan)
  }

  func run() throws {
    print(
      "Demo CNN (225,034 params), Fashion-MNIST 60,000 images, batch \(batchSize), Adam; \(epochs) epochs each"
    )
    print(
      "load averages: \(Measurement.loadAverages().map { formatted($0, 2) }.joined(separator: " "))"
    )
    var results = [try runSwift()]
    if !swiftOnly {
      for peer in peers.split(separator: ",").map(String.init) {
        if let result = runPeer(peer) { results.append(result) }
      }
    }
    print(
      padded("framework", 18) + padded("best epoch", 12) + padded("epochs (s)", 26)
        + padded("test acc", 10)
        + padded("peak MB", 10) + padded("after data", 12) + padded("train MB", 10))
    for r in results {
      print(
        padded(r.name, 18) + padded(formatted(r.best, 3) + " s", 12)
          + padded(r.epochSeconds.map { formatted($0, 2) }.joined(separator: " "), 26)
          + padded(formatted(r.testAccuracy, 4), 10) + padded(formatted(r.peakMB, 0), 10)
          + padded(formatted(r.dataMB, 0), 12) + padded(formatted(r.peakMB - r.dataMB, 0), 10))
    }
    let swift = results[0]
    for peer in results.dropFirst() {
      print(
        "swiftkeras / \(peer.name): epoch time \(formatted(swift.best / peer.best, 3)), "
          + "peak memory \(formatted(swift.peakMB / peer.peakMB, 3)), "
          + "memory beyond the data \(formatted((swift.peakMB - swift.dataMB) / (peer.peakMB - peer.dataMB), 3))"
      )
    }
  }
}
