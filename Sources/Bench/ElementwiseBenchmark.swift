import Foundation
import SwiftKeras

/// Element-wise throughput of the Tensor API in GB/s (bytes read plus bytes written),
/// next to plain memory copies of the same bytes measured in the same run.
enum ElementwiseBenchmark {
  /// One measured operation and its throughput.
  struct Result {
    var label: String
    /// The matching operation's key in the numpy report.
    var numpyKey: String
    var gigabytesPerSecond: Double
    var nanosecondsPerElement: Double
  }

  /// One operation to measure: its label, numpy key, traffic and body.
  private struct Case {
    var label: String
    var numpyKey: String
    var bytesPerElement: Double
    var body: () -> Void
  }

  /// Measures two copies and add, mul, relu, exp, sigmoid, tanh and silu on `count` elements, interleaved, and
  /// prints GB/s, the ratio to the faster copy and numpy's GB/s for the same operation
  /// (when `numpy` has it); returns the results, copies first.
  @discardableResult
  static func runAll(count: Int, samples: Int, numpy: [String: Double] = [:]) -> [Result] {
    var generator = RandomGenerator(seed: 7)
    let x = Tensor.randomUniform(shape: [count], minval: -1, maxval: 1, generator: &generator)
    let y = Tensor.randomUniform(shape: [count], minval: -1, maxval: 1, generator: &generator)
    let read1Write1 = 2 * Double(MemoryLayout<Float>.stride)
    let read2Write1 = 3 * Double(MemoryLayout<Float>.stride)

    let source = UnsafeMutablePointer<Float>.allocate(capacity: count)
    let destination = UnsafeMutablePointer<Float>.allocate(capacity: count)
    defer {
      source.deallocate()
      destination.deallocate()
    }
    x.withUnsafeBufferPointer { source.initialize(from: $0.baseAddress!, count: count) }
    destination.initialize(repeating: 0, count: count)

    let cases = [
      // References: the same bytes copied, into a preallocated buffer and into a fresh
      // tensor buffer (copy-on-write: the allocation and alignment every operation pays).
      Case(label: "memcpy (preallocated)", numpyKey: "copy", bytesPerElement: read1Write1) {
        memcpy(destination, source, count * MemoryLayout<Float>.stride)
        blackHole(destination)
      },
      Case(label: "tensor copy (allocating)", numpyKey: "", bytesPerElement: read1Write1) {
        var copy = x
        copy.withUnsafeMutableBufferPointer { blackHole($0.baseAddress) }
        blackHole(copy)
      },
      Case(label: "x + y", numpyKey: "add", bytesPerElement: read2Write1) { blackHole(x + y) },
      Case(label: "x * y", numpyKey: "mul", bytesPerElement: read2Write1) { blackHole(x * y) },
      Case(label: "relu(x)", numpyKey: "maximum", bytesPerElement: read1Write1) {
        blackHole(relu(x))
      },
      Case(label: "exp(x)", numpyKey: "exp", bytesPerElement: read1Write1) { blackHole(exp(x)) },
      Case(label: "sigmoid(x)", numpyKey: "", bytesPerElement: read1Write1) {
        blackHole(sigmoid(x))
      },
      Case(label: "tanh(x)", numpyKey: "", bytesPerElement: read1Write1) { blackHole(tanh(x)) },
      Case(label: "silu(x)", numpyKey: "", bytesPerElement: read1Write1) { blackHole(silu(x)) },
    ]
    let seconds = Measurement.interleavedBestSecondsPerCall(
      rounds: samples, cases.map { $0.body })
    let results = zip(cases, seconds).map { c, s in
      Result(
        label: c.label, numpyKey: c.numpyKey,
        gigabytesPerSecond: c.bytesPerElement * Double(count) / s / 1e9,
        nanosecondsPerElement: s / Double(count) * 1e9)
    }
    let copyBandwidth = Swift.max(results[0].gigabytesPerSecond, results[1].gigabytesPerSecond)

    print(
      "## element-wise on \(count) floats (\(count * 4 / 1_000_000) MB per operand), best of \(samples) interleaved rounds"
    )
    print(
      "\(padded("operation", 24))  \(padded("GB/s", 7))  \(padded("ns/elem", 8))  \(padded("÷ copy", 7))  \(padded("numpy GB/s", 10))"
    )
    for result in results {
      let reference = numpy[result.numpyKey].map { formatted($0) } ?? "-"
      print(
        "\(padded(result.label, 24))  \(padded(formatted(result.gigabytesPerSecond), 7))  \(padded(formatted(result.nanosecondsPerElement, 3), 8))  \(padded(formatted(result.gigabytesPerSecond / copyBandwidth, 2), 7))  \(padded(reference, 10))"
      )
    }
    print("(÷ copy: against the faster of the two copies; target ≥ 0.50)")
    return results
  }
}
