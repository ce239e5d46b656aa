import Foundation
import SwiftKeras

/// Element-wise throughput of the Tensor API in GB/s (bytes read plus bytes written),
/// next to a plain memory copy of the same bytes measured in the same run.
enum ElementwiseBenchmark {
  /// One measured operation and its throughput.
  struct Result {
    var label: String
    var gigabytesPerSecond: Double
    var nanosecondsPerElement: Double
  }

  /// Measures add, mul, relu and exp on `count` elements and prints GB/s and the ratio to
  /// copy bandwidth; returns the results, copy first.
  @discardableResult
  static func runAll(count: Int, samples: Int) -> [Result] {
    var generator = RandomGenerator(seed: 7)
    let x = Tensor.randomUniform(shape: [count], minval: -1, maxval: 1, generator: &generator)
    let y = Tensor.randomUniform(shape: [count], minval: -1, maxval: 1, generator: &generator)
    let zero = Tensor(0)
    let floatBytes = Double(MemoryLayout<Float>.stride)

    func measure(_ label: String, bytesPerElement: Double, _ body: () -> Void) -> Result {
      let seconds = Measurement.bestSecondsPerCall(samples: samples, body)
      return Result(
        label: label, gigabytesPerSecond: bytesPerElement * Double(count) / seconds / 1e9,
        nanosecondsPerElement: seconds / Double(count) * 1e9)
    }

    // The reference: copy the same bytes between two preallocated buffers.
    let source = UnsafeMutablePointer<Float>.allocate(capacity: count)
    let destination = UnsafeMutablePointer<Float>.allocate(capacity: count)
    defer {
      source.deallocate()
      destination.deallocate()
    }
    x.withUnsafeBufferPointer { source.initialize(from: $0.baseAddress!, count: count) }
    destination.initialize(repeating: 0, count: count)
    let copy = measure("memcpy (preallocated)", bytesPerElement: 2 * floatBytes) {
      memcpy(destination, source, count * MemoryLayout<Float>.stride)
      blackHole(destination)
    }
    // What a fresh result costs: allocate a buffer and copy into it.
    let allocatedCopy = measure("allocate + copy", bytesPerElement: 2 * floatBytes) {
      let fresh = UnsafeMutablePointer<Float>.allocate(capacity: count)
      fresh.initialize(from: source, count: count)
      blackHole(fresh)
      fresh.deallocate()
    }

    let results = [
      measure("x + y", bytesPerElement: 3 * floatBytes) { blackHole(x + y) },
      measure("x * y", bytesPerElement: 3 * floatBytes) { blackHole(x * y) },
      // TODO(lead): switch to relu(_:) after merge
      measure("relu  maximum(x, 0)", bytesPerElement: 2 * floatBytes) {
        blackHole(maximum(x, zero))
      },
      measure("exp(x)", bytesPerElement: 2 * floatBytes) { blackHole(exp(x)) },
    ]

    print(
      "## element-wise on \(count) floats (\(count * 4 / 1_000_000) MB per operand), best of \(samples) samples"
    )
    print(
      "\(padded("operation", 24))  \(padded("GB/s", 7))  \(padded("ns/elem", 8))  \(padded("÷ copy", 7))"
    )
    for result in [copy, allocatedCopy] + results {
      print(
        "\(padded(result.label, 24))  \(padded(formatted(result.gigabytesPerSecond), 7))  \(padded(formatted(result.nanosecondsPerElement, 3), 8))  \(padded(formatted(result.gigabytesPerSecond / copy.gigabytesPerSecond, 2), 7))"
      )
    }
    return [copy, allocatedCopy] + results
  }
}
