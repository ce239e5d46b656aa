import ArgumentParser
import Foundation
import SwiftKeras

/// `swiftkeras-bench kill-test`: kills a process with SIGKILL while it saves, over and over,
/// and checks after every kill that the last good file still loads and that at most one
/// stale temporary file is left beside it (the next save removes it).
struct KillTest: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "kill-test",
    abstract: "SIGKILL a saving process repeatedly; the last good file must always load.")

  @Option(help: "Kills in all, shared by the three ways of saving.") var kills = 2000
  @Option(help: "Longest wait before a kill, in milliseconds.") var maxDelay = 40

  func run() throws {
    let executable = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
    let formats = ["keras", "weights", "checkpoint"]
    var report: [String] = []
    for (index, format) in formats.enumerated() {
      let share = kills / formats.count + (index < kills % formats.count ? 1 : 0)
      let folder = FileManager.default.temporaryDirectory
        .appendingPathComponent("swiftkeras-kill-\(format)-\(UUID().uuidString)")
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      defer { try? FileManager.default.removeItem(at: folder) }
      let target = folder.appendingPathComponent(
        format == "weights" ? "model.weights.h5" : "model.keras")
      var worstStale = 0
      var failures = 0
      for _ in 0..<share {
        let child = Process()
        child.executableURL = executable
        child.arguments = ["save-loop", "--format", format, "--folder", folder.path]
        child.standardOutput = FileHandle.nullDevice
        child.standardError = FileHandle.nullDevice
        try child.run()
        // Kill at a random moment once a first good file exists (the first run waits).
        while !FileManager.default.fileExists(atPath: target.path) { usleep(2000) }
        usleep(UInt32.random(in: 0...UInt32(maxDelay * 1000)))
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        let stale = try FileManager.default.contentsOfDirectory(atPath: folder.path)
          .filter { $0.contains(".swiftkeras-tmp-") }.count
        worstStale = max(worstStale, stale)
        do {
          if format == "weights" {
            let model = try SaveLoop.model()
            try model.loadWeights(from: target.path)
          } else {
            _ = try loadModel(from: target.path)
          }
        } catch {
          failures += 1
          print("\(format): the file did not load after a kill: \(error)")
        }
      }
      report.append(
        "\(format): \(share) kills, \(failures) unloadable files, at most \(worstStale) stale temporary file(s)"
      )
    }
    report.forEach { print($0) }
  }
}

/// `swiftkeras-bench save-loop`: saves a model forever (the process `kill-test` kills).
struct SaveLoop: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "save-loop", abstract: "Save a model in a loop until killed (for kill-test).")

  @Option(help: "keras, weights or checkpoint.") var format = "keras"
  @Option(help: "The folder to save into.") var folder: String

  /// A model of a few hundred kilobytes, so a save takes a few milliseconds.
  static func model() throws -> Sequential {
    try Sequential([Input(shape: [64]), Dense(512, activation: "relu"), Dense(10)])
  }

  func run() throws {
    let model = try SaveLoop.model()
    try model.compile(optimizer: "adam", loss: "mse")
    let x = Tensor.randomNormal(shape: [8, 64])
    let y = Tensor.randomNormal(shape: [8, 10])
    let directory = URL(fileURLWithPath: folder)
    switch format {
    case "checkpoint":
      let checkpoint = ModelCheckpoint(
        filepath: directory.appendingPathComponent("model.keras").path, saveFreq: .batches(1))
      try model.fit(
        x: x, y: y, batchSize: 8, epochs: 1_000_000, verbose: 0, callbacks: [checkpoint])
    default:
      while true {
        try model.trainOnBatch(x: x, y: y)
        if format == "weights" {
          try model.saveWeights(to: directory.appendingPathComponent("model.weights.h5").path)
        } else {
          try model.save(to: directory.appendingPathComponent("model.keras").path)
        }
      }
    }
  }
}
