import Foundation

/// Runs `Scripts/bench/numpy_sgemm.py` in a subprocess and reads its JSON report.
enum NumpyComparison {
  /// What the numpy script reported.
  struct Report {
    /// numpy's version.
    var version: String
    /// The BLAS kernel numpy runs, as the script found it.
    var blas: String
    /// matmul GFLOP/s by square size.
    var gflops: [Int: Double]
    /// Element-wise GB/s by operation: `copy`, `add`, `mul`, `maximum`, `exp`.
    var elementwise: [String: Double]

    /// The faster figure of this run and `other` for each size and operation.
    func best(with other: Report) -> Report {
      var result = self
      result.gflops.merge(other.gflops, uniquingKeysWith: Swift.max)
      result.elementwise.merge(other.elementwise, uniquingKeysWith: Swift.max)
      return result
    }
  }

  /// The variables that pin an old OpenBLAS's kernel; unset for numpy's run only.
  static let pinningVariables = ["OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"]

  /// The script, found next to this source file's package.
  static var defaultScript: String {
    URL(fileURLWithPath: #filePath)
      .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Scripts/bench/numpy_sgemm.py").path
  }

  /// Whether `python` can import numpy.
  static func numpyAvailable(python: String) -> Bool {
    guard let (status, _) = try? run(python, ["-c", "import numpy"], environment: nil) else {
      return false
    }
    return status == 0
  }

  /// Runs the script for `sizes` with the pinning variables removed from its environment.
  ///
  /// - Parameters:
  ///   - threads: sets `OPENBLAS_NUM_THREADS` for the script when given.
  ///   - clock: the clock the script times with (`time.perf_counter` or `time.process_time`).
  static func measure(
    python: String, script: String, sizes: [Int], elements: Int, samples: Int,
    threads: Int? = nil, clock: Measurement.Clock = .wall
  ) throws
    -> Report
  {
    var environment = ProcessInfo.processInfo.environment
    for name in pinningVariables { environment[name] = nil }
    if let threads { environment["OPENBLAS_NUM_THREADS"] = String(threads) }
    let (status, output) = try run(
      python, [script] + sizes.map(String.init), environment: environment)
    guard status == 0,
      let line = output.split(separator: "\n").last,
      let json = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
    else {
      throw BenchError("numpy script exited with status \(status); output: \(output)")
    }
    let blas = json["blas"] as? [String: Any] ?? [:]
    let blasText = ["library", "version", "kernel", "threads", "source"].compactMap { key in
      blas[key].map { "\(key) \($0)" }
    }.joined(separator: ", ")
    var gflops: [Int: Double] = [:]
    for (size, value) in json["gflops"] as? [String: Double] ?? [:] {
      if let n = Int(size) { gflops[n] = value }
    }
    return Report(
      version: json["numpy"] as? String ?? "?", blas: blasText, gflops: gflops,
      elementwise: json["elementwise_gbps"] as? [String: Double] ?? [:])
  }

  /// Runs `executable` (looked up on PATH) and returns its status and standard output.
  static func run(_ executable: String, _ arguments: [String], environment: [String: String]?)
    throws -> (Int32, String)
  {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [executable] + arguments
    if let environment { process.environment = environment }
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
  }
}

/// A failure of a benchmark's own machinery (not of the framework).
struct BenchError: Error, CustomStringConvertible {
  /// What went wrong.
  var description: String
  init(_ description: String) { self.description = description }
}
