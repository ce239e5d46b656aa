import ArgumentParser
import COpenBLAS
import Foundation

/// `swiftkeras-bench core`: matmul, element-wise and gradient-tape costs of SwiftKerasCore,
/// with numpy's matmul as the reference when `python3` has numpy.
struct CoreBenchmark: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "core",
    abstract: "matmul GFLOP/s, element-wise GB/s and gradient-tape µs per op, next to numpy."
  )

  /// Timed batches per measurement; the best is kept.
  @Option(help: "Timed batches per measurement (the best is reported).")
  var samples = 10

  /// Elements of the element-wise benchmark.
  @Option(help: "Elements per operand in the element-wise benchmark.")
  var elements = 1 << 20

  /// Chained operations in the tape benchmark.
  @Option(help: "Chained [4] + [4] operations in the tape benchmark.")
  var tapeOperations = 10_000

  /// OpenBLAS threads for both the framework and numpy; the library's default when nil.
  @Option(help: "OpenBLAS threads for the framework and for numpy (default: the library's own).")
  var threads: Int?

  /// The clock the timings read.
  @Option(
    help:
      "wall: elapsed time; cpu: this process's CPU time, steadier on a busy machine (use with --threads 1)."
  )
  var clock = "wall"

  /// Skip the numpy comparison.
  @Flag(help: "Skip the numpy comparison.")
  var noNumpy = false

  /// The Python interpreter that runs the numpy script.
  @Option(help: "Python interpreter for the numpy comparison.")
  var python = "python3"

  /// The numpy script.
  @Option(help: "Path of Scripts/bench/numpy_sgemm.py.")
  var numpyScript = NumpyComparison.defaultScript

  func validate() throws {
    guard Measurement.Clock(rawValue: clock) != nil else {
      throw ValidationError("--clock must be wall or cpu, got '\(clock)'")
    }
    if let threads, threads < 1 {
      throw ValidationError("--threads must be at least 1, got \(threads)")
    }
    guard samples >= 1 else {
      throw ValidationError("--samples must be at least 1, got \(samples)")
    }
    guard elements >= 1 else {
      throw ValidationError("--elements must be at least 1, got \(elements)")
    }
    guard tapeOperations >= 1 else {
      throw ValidationError("--tape-operations must be at least 1, got \(tapeOperations)")
    }
  }

  func run() throws {
    #if DEBUG
      print("warning: debug build; use `swift run -c release swiftkeras-bench core`\n")
    #endif
    if let threads { openblas_set_num_threads(Int32(threads)) }
    Measurement.clock = Measurement.Clock(rawValue: clock) ?? .wall
    let loads = Measurement.loadAverages().map { formatted($0, 2) }.joined(separator: " ")
    print("# SwiftKeras core benchmarks")
    print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, load average \(loads)")
    print("framework OpenBLAS: \(MatmulBenchmark.describeOpenBLAS())")
    print("clock: \(Measurement.clock.rawValue) time")
    for name in NumpyComparison.pinningVariables {
      print("\(name) = \(ProcessInfo.processInfo.environment[name] ?? "(unset)")")
    }

    // numpy runs in its own process before and after Swift's timings (never alongside);
    // the better of its two runs is kept, so bursts of load elsewhere favour numpy.
    let numpyBefore = measureNumpy()
    print()

    let swiftGflops = MatmulBenchmark.runAll(samples: samples)
    print()
    TapeBenchmark.run(operations: tapeOperations, samples: samples)
    print()
    var numpy = numpyBefore
    if let before = numpyBefore, let after = measureNumpy(quiet: true) {
      numpy = before.best(with: after)
    }
    ElementwiseBenchmark.runAll(
      count: elements, samples: samples, numpy: numpy?.elementwise ?? [:])
    print()

    guard let numpy else { return }
    print("## framework matmul(_:_:) against numpy float32 `a @ b`, GFLOP/s")
    print(
      "\(padded("size", 6))  \(padded("numpy", 8))  \(padded("swift", 8))  \(padded("ratio", 6))")
    for size in MatmulBenchmark.squareSizes {
      guard let reference = numpy.gflops[size], let swift = swiftGflops[size] else { continue }
      print(
        "\(padded(String(size), 6))  \(padded(formatted(reference), 8))  \(padded(formatted(swift), 8))  \(padded(formatted(swift / reference, 2), 6))"
      )
    }
    if let reference = numpy.gflops[1024], let swift = swiftGflops[1024] {
      print("framework/numpy at 1024: \(formatted(swift / reference, 2)) (target ≥ 0.80)")
    }
  }

  /// Runs the numpy script unless disabled or numpy is missing; prints what numpy runs on.
  /// A failing script is reported and skipped: the Swift figures still print.
  private func measureNumpy(quiet: Bool = false) -> NumpyComparison.Report? {
    if noNumpy { return nil }
    guard NumpyComparison.numpyAvailable(python: python) else {
      print("numpy: skipped, `\(python) -c \"import numpy\"` failed")
      return nil
    }
    let report: NumpyComparison.Report
    do {
      report = try NumpyComparison.measure(
        python: python, script: numpyScript, sizes: MatmulBenchmark.squareSizes,
        elements: elements, samples: samples, threads: threads, clock: Measurement.clock)
    } catch {
      print("numpy: skipped, \(error)")
      return nil
    }
    if !quiet {
      print(
        "numpy \(report.version) (OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset for it): \(report.blas)"
      )
    }
    return report
  }
}
