import Foundation
import XCTest

/// Runs `swiftkeras-mpi-check` (built beside the test bundle) under `mpirun`, or alone as
/// the one-process reference, and reads what rank 0 wrote.
struct MPIRunner {
  /// What a run printed and how it ended.
  struct Outcome {
    var status: Int32
    var output: String
    var seconds: Double
    var folder: URL

    /// Rank 0's `result.json`.
    func result() throws -> [String: Any] {
      let data = try Data(contentsOf: folder.appendingPathComponent("result.json"))
      return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }
  }

  /// The check executable: SwiftPM puts products beside the test bundle.
  static var checkExecutable: URL {
    URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
      .appendingPathComponent("swiftkeras-mpi-check")
  }

  /// The repository's Scripts folder (this file is Tests/DistributedTests/MPIRunner.swift).
  static var scripts: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Scripts")
  }

  /// Runs `mode` as 2 ranks on two network namespaces joined by a veth pair, MPI over TCP
  /// (`Scripts/two-host-mpi.sh`; needs root, as CI is).
  static func runOnTwoHosts(_ mode: String, folder: URL) throws -> Outcome {
    try launch(
      URL(fileURLWithPath: "/bin/bash"),
      [
        scripts.appendingPathComponent("two-host-mpi.sh").path, checkExecutable.path, mode,
        folder.path,
      ],
      folder: folder)
  }

  /// Runs `mode` with `ranks` processes (`nil`: without mpirun) in `folder`.
  static func run(_ mode: String, ranks: Int?, folder: URL) throws -> Outcome {
    let process = Process()
    let check = checkExecutable.path
    XCTAssertTrue(
      FileManager.default.isExecutableFile(atPath: check),
      "\(check) is missing: `swift build` builds it (swift test does too)")
    guard let ranks else {
      return try launch(URL(fileURLWithPath: check), [mode, folder.path], folder: folder)
    }
    // As root (CI) Open MPI needs --allow-run-as-root; 2 ranks on 2 cores oversubscribe
    // once the launcher's own threads are counted.
    return try launch(
      URL(fileURLWithPath: "/usr/bin/mpirun"),
      [
        "--allow-run-as-root", "--oversubscribe", "--mca", "btl", "self,vader,tcp",
        "-np", String(ranks), check, mode, folder.path,
      ], folder: folder)
  }

  private static func launch(_ executable: URL, _ arguments: [String], folder: URL) throws
    -> Outcome
  {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    var environment = ProcessInfo.processInfo.environment
    environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1"
    environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1"
    process.environment = environment
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    let started = Date()
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Outcome(
      status: process.terminationStatus, output: String(decoding: output, as: UTF8.self),
      seconds: Date().timeIntervalSince(started), folder: folder)
  }
}
