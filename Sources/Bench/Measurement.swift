import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// Timing helpers shared by the benchmarks.
enum Measurement {
  /// Which clock the measurements read.
  enum Clock: String, CaseIterable, Sendable {
    /// Elapsed (monotonic) time: what a user waits.
    case wall
    /// CPU time of this process, all threads: the time it was actually running, so
    /// other processes on a busy machine hardly change it. Meaningful with one BLAS
    /// thread (idle BLAS threads may spin and add their time).
    case cpu
  }

  private static let selectedClock = Mutex(Clock.wall)

  /// The clock in use; set once by the command before measuring.
  static var clock: Clock {
    get { selectedClock.withLock { $0 } }
    set { selectedClock.withLock { $0 = newValue } }
  }

  /// Seconds on the selected clock.
  static func now() -> Double {
    var time = timespec()
    clock_gettime(clock == .wall ? CLOCK_MONOTONIC : CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
  }

  /// The best (smallest) time of one call to `body`, in seconds.
  ///
  /// `body` runs once to warm up and calibrate, then in `samples` batches of as many calls
  /// as fill about `sampleTime` seconds; the best batch's time per call is returned.
  static func bestSecondsPerCall(
    samples: Int = 7, sampleTime: Double = 0.05, _ body: () -> Void
  ) -> Double {
    let start = now()
    body()
    let first = Swift.max(now() - start, 1e-9)
    let calls = Swift.max(1, Int(sampleTime / first))
    var best = Double.infinity
    for _ in 0..<samples {
      let begin = now()
      for _ in 0..<calls { body() }
      best = Swift.min(best, (now() - begin) / Double(calls))
    }
    return best
  }

  /// The best time of one call of each body, measured in interleaved rounds.
  ///
  /// Each body is warmed up and calibrated as in ``bestSecondsPerCall(samples:sampleTime:_:)``;
  /// then every round times one batch of each body in turn, so a burst of load from other
  /// processes hits all of them alike and their ratios stay meaningful.
  static func interleavedBestSecondsPerCall(
    rounds: Int = 7, sampleTime: Double = 0.05, _ bodies: [() -> Void]
  ) -> [Double] {
    let calls = bodies.map { body -> Int in
      let start = now()
      body()
      return Swift.max(1, Int(sampleTime / Swift.max(now() - start, 1e-9)))
    }
    var best = [Double](repeating: .infinity, count: bodies.count)
    for _ in 0..<rounds {
      for (i, body) in bodies.enumerated() {
        let begin = now()
        for _ in 0..<calls[i] { body() }
        best[i] = Swift.min(best[i], (now() - begin) / Double(calls[i]))
      }
    }
    return best
  }

  /// The 1-, 5- and 15-minute load averages, to judge how busy the machine was.
  static func loadAverages() -> [Double] {
    var loads = [Double](repeating: 0, count: 3)
    let count = getloadavg(&loads, 3)
    return count == 3 ? loads : []
  }
}

/// Keeps a value alive so the optimiser cannot drop the work that made it.
@inline(never)
func blackHole<T>(_ value: T) {
  withExtendedLifetime(value) {}
}

/// Formats `value` with `digits` digits after the point.
func formatted(_ value: Double, _ digits: Int = 1) -> String {
  String(format: "%.\(digits)f", value)
}

/// Pads `text` to `width` characters: on the left (right-aligned, for numbers), or on the
/// right with `leftAligned` (for names).
func padded(_ text: String, _ width: Int, leftAligned: Bool = false) -> String {
  let fill = String(repeating: " ", count: Swift.max(width - text.count, 0))
  return leftAligned ? text + fill : fill + text
}
