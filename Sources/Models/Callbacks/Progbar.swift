import Foundation
import SwiftKerasCore
import SwiftKerasLayers
import SwiftKerasTraining

/// Keras 3's progress bar: `1875/1875 ━━━━━━━━━━━━━━━━━━━━ 2s 1ms/step - loss: 0.3372`.
///
/// On a terminal it redraws one line in place with an ETA. When the output is not a
/// terminal (a log file, CI), it writes one clean line when the bar finishes, with no
/// backspaces or carriage returns. With a locale that is not UTF-8 the bar is drawn in
/// ASCII.
public final class Progbar {
  /// The number of steps expected (nil when unknown).
  public let target: Int?
  /// 1: live bar; 2: one line at the end.
  public let verbose: Int
  let width: Int
  let unitName: String
  let interval: TimeInterval
  let averaging: Bool
  let dynamicDisplay: Bool
  let unicode: Bool
  let color: Bool
  let write: (String) -> Void
  let clock: () -> TimeInterval

  private var values: [String: (total: Double, count: Double)] = [:]
  private var order: [String] = []
  private var seenSoFar = 0
  private let start: TimeInterval
  private var lastUpdate: TimeInterval = 0
  private var timeAfterFirstStep: TimeInterval?
  private var previousWidth = 0

  /// Creates a bar.
  ///
  /// - Parameters:
  ///   - averaging: average each value over the steps (Keras's default for a bare
  ///     Progbar); `fit`'s logger shows the values as they are.
  ///   - dynamicDisplay: redraw in place; defaults to whether standard output is a terminal.
  ///   - unicode: draw `━`; defaults to whether the locale is UTF-8.
  ///   - write: where text goes; standard output by default.
  ///   - clock: the time source, for tests.
  public init(
    target: Int?, width: Int = 20, verbose: Int = 1, interval: TimeInterval = 0.05,
    unitName: String = "step", averaging: Bool = true, dynamicDisplay: Bool? = nil,
    unicode: Bool? = nil,
    write: ((String) -> Void)? = nil, clock: (() -> TimeInterval)? = nil
  ) {
    self.target = target
    self.width = width
    self.verbose = verbose
    self.interval = interval
    self.unitName = unitName
    self.averaging = averaging
    let isTerminal = isatty(STDOUT_FILENO) != 0
    self.dynamicDisplay = dynamicDisplay ?? isTerminal
    self.unicode = unicode ?? Progbar.localeIsUTF8()
    self.color = (dynamicDisplay ?? isTerminal) && write == nil
    self.write = write ?? writeToStandardOutput
    let now = clock ?? { Date().timeIntervalSince1970 }
    self.clock = now
    start = now()
  }

  static func localeIsUTF8() -> Bool {
    let environment = ProcessInfo.processInfo.environment
    let locale = environment["LC_ALL"] ?? environment["LC_CTYPE"] ?? environment["LANG"] ?? ""
    // An unset locale on Linux is "C"; Swift and modern terminals still handle UTF-8.
    if locale.isEmpty { return true }
    let lower = locale.lowercased()
    return lower.contains("utf-8") || lower.contains("utf8")
  }

  /// Reports progress: `current` steps done and the latest value of each metric.
  public func update(
    _ current: Int, values newValues: [(String, Float)] = [], finalize: Bool? = nil
  ) {
    let finalize = finalize ?? (target.map { current >= $0 } ?? false)
    for (key, value) in newValues {
      if !order.contains(key) { order.append(key) }
      // As Keras: values are averaged over the steps that reported them, and the final
      // update shows the last value as it is.
      if finalize || !averaging {
        values[key] = (Double(value), 1)
      } else {
        let base = Double(max(current - seenSoFar, 1))
        let existing = values[key] ?? (0, 0)
        values[key] = (existing.total + Double(value) * base, existing.count + base)
      }
    }
    seenSoFar = current
    let now = clock()
    let timePerUnit = estimateStepDuration(current, now)

    if verbose == 1 {
      if !dynamicDisplay {
        // One clean line per bar, written when it finishes.
        if finalize {
          write(line(current: current, now: now, timePerUnit: timePerUnit, finalize: true) + "\n")
        }
        lastUpdate = now
        return
      }
      if now - lastUpdate < interval && !finalize { return }
      let text = line(current: current, now: now, timePerUnit: timePerUnit, finalize: finalize)
      var message = "\r" + text
      let visible = text.count
      if previousWidth > visible {
        message += String(repeating: " ", count: previousWidth - visible)
      }
      if finalize { message += "\n" }
      write(message)
      previousWidth = visible
    } else if verbose == 2, finalize, let target, target > 0 {
      let digits = String(target).count
      var info = "\(pad(current, digits))/\(target) - \(String(format: "%.0f", now - start))s -"
      info += formatTime(timePerUnit)
      for key in order {
        info += " - \(key): " + formatValue(key, verboseTwo: true)
      }
      write(info + "\n")
    }
    lastUpdate = now
  }

  private func pad(_ value: Int, _ digits: Int) -> String {
    let text = String(value)
    return String(repeating: " ", count: max(digits - text.count, 0)) + text
  }

  private func formatValue(_ key: String, verboseTwo: Bool = false) -> String {
    guard let (total, count) = values[key] else { return "nan" }
    let average = total / max(1, count)
    // Keras 3's thresholds (verbose 2 compares without the absolute value).
    let large = verboseTwo ? average > 1e-3 : Swift.abs(average) > 1e-3
    if large { return String(format: "%.4f", average) }
    return Progbar.scientific(average)
  }

  /// Python's `{:.4e}`: two-digit exponent at least.
  static func scientific(_ value: Double) -> String {
    if value.isNaN { return "nan" }
    if value.isInfinite { return value > 0 ? "inf" : "-inf" }
    return String(format: "%.4e", value)
  }

  func line(current: Int, now: TimeInterval, timePerUnit: TimeInterval, finalize: Bool) -> String {
    var bar: String
    if let target, target > 0 {
      let digits = String(target).count
      bar = "\(pad(current, digits))/\(target) "
      let progress = Double(current) / Double(target)
      let done = min(Int(Double(width) * progress), width)
      let full = unicode ? "━" : "="
      let empty = unicode ? "━" : "."
      if color && unicode {
        if done > 0 { bar += "\u{1B}[32m" + String(repeating: full, count: done) + "\u{1B}[0m" }
        bar += "\u{1B}[37m" + String(repeating: empty, count: width - done) + "\u{1B}[0m"
      } else {
        bar += String(repeating: full, count: done) + String(repeating: empty, count: width - done)
      }
    } else {
      let text = String(current)
      bar = String(repeating: " ", count: max(7 - text.count, 0)) + text + "/Unknown"
    }
    var info: String
    if let target, target > 0, !finalize {
      let eta = timePerUnit * Double(target - current)
      if eta > 3600 {
        info = String(
          format: " %d:%02d:%02d", Int(eta) / 3600, (Int(eta) % 3600) / 60, Int(eta) % 60)
      } else if eta > 60 {
        info = String(format: " %d:%02d", Int(eta) / 60, Int(eta) % 60)
      } else {
        info = " \(Int(eta))s"
      }
    } else {
      info = " " + String(format: "%.0f", now - start) + "s"
    }
    info += formatTime(timePerUnit)
    for key in order { info += " - \(key): " + formatValue(key) }
    return bar + info
  }

  private func formatTime(_ timePerUnit: TimeInterval) -> String {
    if timePerUnit >= 1 || timePerUnit == 0 {
      return " " + String(format: "%.0f", timePerUnit) + "s/\(unitName)"
    } else if timePerUnit >= 1e-3 {
      return " " + String(format: "%.0f", timePerUnit * 1000) + "ms/\(unitName)"
    }
    return " " + String(format: "%.0f", timePerUnit * 1_000_000) + "us/\(unitName)"
  }

  private func estimateStepDuration(_ current: Int, _ now: TimeInterval) -> TimeInterval {
    guard current > 0 else { return 0 }
    // As Keras: the first step (graph set-up, warm caches) is left out of the estimate.
    if current == 1 { timeAfterFirstStep = now }
    if let first = timeAfterFirstStep, current > 1 {
      return (now - first) / Double(current - 1)
    }
    return (now - start) / Double(current)
  }
}

/// Writes through C's buffered `stdout` and flushes, so the bar interleaves correctly with
/// `print` (which shares that buffer) even when the output is a file or a pipe.
func writeToStandardOutput(_ text: String) {
  print(text, terminator: "")
  // fflush(nil) flushes every C stream, so no reference to the global `stdout` is needed.
  fflush(nil)
}
