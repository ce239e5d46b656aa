import ArgumentParser
import Foundation
import SwiftKeras

/// One framework's figures in a model benchmark.
struct FrameworkResult {
  var name: String
  var epochSeconds: [Double]
  var testAccuracy: Double
  var peakMB: Double
  var dataMB: Double
  /// The fastest epoch (the first ones include warm-up and, for JAX, compilation).
  var best: Double { epochSeconds.min() ?? .nan }
}

/// Times each epoch of a fit.
final class EpochTimer: Callback {
  var start = 0.0
  var times: [Double] = []
  override func onEpochBegin(_ epoch: Int, logs: Logs) { start = Measurement.now() }
  override func onEpochEnd(_ epoch: Int, logs: Logs) { times.append(Measurement.now() - start) }
}

/// Runs the same model in SwiftKeras and in the peer frameworks' scripts
/// (`Scripts/bench`), in the same process run, and prints the comparison.
enum PeerComparison {
  /// The resident memory in MB (`VmRSS`, or `VmHWM` for the peak).
  static func residentMB(_ field: String = "VmRSS") -> Double {
    Double(DatasetsBenchmark.procStatusKilobytes(field) ?? 0) / 1024
  }

  /// Trains `model` (compiled as the peers are) and measures it.
  static func measureSwift(
    _ model: Model, x: Tensor, y: Tensor, xTest: Tensor, yTest: Tensor, batchSize: Int,
    epochs: Int, dataMB: Double
  ) throws -> FrameworkResult {
    try model.compile(
      optimizer: "adam", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"])
    let timer = EpochTimer()
    try model.fit(x: x, y: y, batchSize: batchSize, epochs: epochs, verbose: 0, callbacks: [timer])
    let accuracy = try model.evaluate(x: xTest, y: yTest, verbose: 0)["accuracy"] ?? .nan
    return FrameworkResult(
      name: "swiftkeras", epochSeconds: timer.times, testAccuracy: Double(accuracy),
      peakMB: residentMB("VmHWM"), dataMB: dataMB)
  }

  /// Runs one peer: `keras-tensorflow` and `keras-jax` run `kerasScript` with that
  /// backend, `pytorch` runs `torchScript`; each prints one line of JSON.
  static func runPeer(
    _ peer: String, kerasScript: String, torchScript: String, python: String, arguments: [String]
  ) -> FrameworkResult? {
    let scripts = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(
        "Scripts/bench")
    var environment = ProcessInfo.processInfo.environment
    let script: String
    switch peer {
    case "keras-tensorflow", "keras-jax":
      script = kerasScript
      environment["KERAS_BACKEND"] = String(peer.dropFirst("keras-".count))
    case "pytorch":
      script = torchScript
    default:
      print("unknown peer \(peer)")
      return nil
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = [scripts.appendingPathComponent(script).path] + arguments
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
    return FrameworkResult(
      name: peer, epochSeconds: (json["epoch_seconds"] as? [Double]) ?? [],
      testAccuracy: (json["test_accuracy"] as? Double) ?? .nan,
      peakMB: (json["peak_rss_mb"] as? Double) ?? .nan,
      dataMB: (json["rss_after_data_mb"] as? Double) ?? .nan)
  }

  /// Prints the table and SwiftKeras's ratios to each peer.
  static func printTable(_ results: [FrameworkResult]) {
    print(
      padded("framework", 18) + padded("best epoch", 12) + padded("epochs (s)", 26)
        + padded("test acc", 10) + padded("peak MB", 10) + padded("after data", 12)
        + padded("train MB", 10))
    for r in results {
      print(
        padded(r.name, 18) + padded(formatted(r.best, 3) + " s", 12)
          + padded(r.epochSeconds.map { formatted($0, 2) }.joined(separator: " "), 26)
          + padded(formatted(r.testAccuracy, 4), 10) + padded(formatted(r.peakMB, 0), 10)
          + padded(formatted(r.dataMB, 0), 12) + padded(formatted(r.peakMB - r.dataMB, 0), 10))
    }
    guard let swift = results.first else { return }
    for peer in results.dropFirst() {
      print(
        "swiftkeras / \(peer.name): epoch time \(formatted(swift.best / peer.best, 3)), "
          + "peak memory \(formatted(swift.peakMB / peer.peakMB, 3)), memory beyond the data "
          + formatted((swift.peakMB - swift.dataMB) / (peer.peakMB - peer.dataMB), 3))
    }
  }
}

/// The options every peer-comparison benchmark takes, and the run they drive: SwiftKeras
/// first, then each peer's script, then the table.
struct PeerOptions: ParsableArguments {
  @Option(help: "Epochs per framework; the fastest epoch is compared.") var epochs = 3
  @Option(help: "Python with tensorflow / jax / torch installed (peers are skipped if absent).")
  var python = "/opt/kerasenv/bin/python"
  @Option(help: "Peers to run: keras-tensorflow, keras-jax, pytorch (comma-separated).")
  var peers = "keras-tensorflow,keras-jax,pytorch"
  @Flag(help: "Skip the peers.") var swiftOnly = false

  /// Prints `title` and the load averages, measures `swift`, then the peers' scripts with
  /// `arguments` after the epoch count, and prints the comparison.
  func compare(
    title: String, kerasScript: String, torchScript: String, arguments: [String] = [],
    swift: () throws -> FrameworkResult
  ) throws {
    print(title)
    print(
      "load averages: \(Measurement.loadAverages().map { formatted($0, 2) }.joined(separator: " "))"
    )
    var results = [try swift()]
    if !swiftOnly {
      for peer in peers.split(separator: ",").map(String.init) {
        if let result = PeerComparison.runPeer(
          peer, kerasScript: kerasScript, torchScript: torchScript, python: python,
          arguments: [String(epochs)] + arguments)
        {
          results.append(result)
        }
      }
    }
    PeerComparison.printTable(results)
  }
}
