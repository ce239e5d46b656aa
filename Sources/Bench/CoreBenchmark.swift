import ArgumentParser
import Foundation

/// `swiftkeras-bench core`: matmul, element-wise and gradient-tape costs of SwiftKerasCore,
/// with numpy's matmul as the reference when `python3` has numpy.
struct CoreBenchmark: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "core",
    abstract: "matmul GFLOP/s, element-wise GB/s, gradient-tape µs per op, and numpy's matmul."
  )

  /// Timed batches per measurement; the best is kept.
  @Option(help: "Timed batches per measurement (the best is reported).")
  var samples = 7

  /// Elements of the element-wise benchmark.
  @Option(help: "Elements per operand in the element-wise benchmark.")
  var elements = 1 << 20

  /// Chained operations in the tape benchmark.
  @Option(help: "Chained [4] + [4] operations in the tape benchmark.")
  var tapeOperations = 10_000

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
    let loads = Measurement.loadAverages().map { formatted($0, 2) }.joined(separator: " ")
    print("# SwiftKeras core benchmarks")
    print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, load average \(loads)")
    print("framework OpenBLAS: \(MatmulBenchmark.describeOpenBLAS())")
    for name in NumpyComparison.pinningVariables {
      print("\(name) = \(ProcessInfo.processInfo.environment[name] ?? "(unset)")")
    }
    print()

    let swiftGflops = MatmulBenchmark.runAll(samples: samples)
    print()
    ElementwiseBenchmark.runAll(count: elements, samples: samples)
    print()
    TapeBenchmark.run(operations: tapeOperations, samples: samples)
    print()

    guard !noNumpy else { return }
    print("## numpy float32 matmul (OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset for it)")
    guard NumpyComparison.numpyAvailable(python: python) else {
      print("skipped: `\(python) -c \"import numpy\"` failed")
      return
    }
    let report = try NumpyComparison.measure(
      python: python, script: numpyScript, sizes: MatmulBenchmark.squareSizes)
    print("numpy \(report.version); BLAS: \(report.blas)")
    print(
      "\(padded("size", 6))  \(padded("numpy", 8))  \(padded("swift", 8))  \(padded("ratio", 6))")
    for size in MatmulBenchmark.squareSizes {
      guard let numpy = report.gflops[size], let swift = swiftGflops[size] else { continue }
      print(
        "\(padded(String(size), 6))  \(padded(formatted(numpy), 8))  \(padded(formatted(swift), 8))  \(padded(formatted(swift / numpy, 2), 6))"
      )
    }
    if let numpy = report.gflops[1024], let swift = swiftGflops[1024] {
      print("framework/numpy at 1024: \(formatted(swift / numpy, 2)) (target ≥ 0.80)")
    }
  }
}
