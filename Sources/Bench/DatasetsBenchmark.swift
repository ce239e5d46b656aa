import ArgumentParser
import Foundation
import SwiftKeras

/// Times loading all of Fashion-MNIST from its gzipped IDX files and reports the peak
/// memory against the size of the decoded tensors.
///
/// ```
/// swift run -c release swiftkeras-bench datasets [--directory DIR] [--repeats N]
/// ```
struct DatasetsBenchmark: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "datasets",
    abstract: "Time loading Fashion-MNIST (.gz) and report peak memory vs decoded size.")

  @Option(help: "Directory holding the four Fashion-MNIST IDX files.")
  var directory: String = FashionMNIST.defaultDirectory

  @Option(help: "Number of timed loads; the best time is reported.")
  var repeats: Int = 3

  /// The value in kB of `field` (as `VmHWM`) in /proc/self/status, or nil.
  static func procStatusKilobytes(_ field: String) -> Int? {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else {
      return nil
    }
    for line in status.split(separator: "\n") where line.hasPrefix(field + ":") {
      return Int(
        line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
    }
    return nil
  }

  func run() throws {
    guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1") }
    let baselineKB = Self.procStatusKilobytes("VmRSS") ?? 0
    var best = Double.infinity
    var decodedBytes = 0
    for _ in 0..<repeats {
      let start = DispatchTime.now().uptimeNanoseconds
      let ((xTrain, yTrain), (xTest, yTest)) = try FashionMNIST.load(directory: directory)
      let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
      best = Swift.min(best, seconds)
      decodedBytes = 4 * (xTrain.count + yTrain.count + xTest.count + yTest.count)
    }
    let peakKB = Self.procStatusKilobytes("VmHWM") ?? 0
    let decodedMB = Double(decodedBytes) / 1_048_576
    let peakMB = Double(peakKB) / 1024
    let growthMB = Double(peakKB - baselineKB) / 1024
    print("Fashion-MNIST from \(directory)")
    print(String(format: "  load time (best of %d): %.3f s", repeats, best))
    print(String(format: "  decoded Float tensors:  %.1f MB", decodedMB))
    print(
      String(
        format: "  peak RSS (VmHWM):       %.1f MB (%.2f× decoded)", peakMB, peakMB / decodedMB))
    print(
      String(
        format: "  peak above start:       %.1f MB (%.2f× decoded)", growthMB, growthMB / decodedMB)
    )
  }
}
