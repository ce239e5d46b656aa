import COpenBLAS
import Foundation
import SwiftKeras

/// `cblas_sgemm` throughput through the framework's `matmul(_:_:)`, allocation included,
/// next to a direct `cblas_sgemm` call into a preallocated buffer.
enum MatmulBenchmark {
  /// One measured product: C (m×n) = op(A)·op(B) with inner extent k.
  struct Case {
    var label: String
    var m: Int
    var n: Int
    var k: Int
    var transposeA = false
    var transposeB = false

    /// Floating-point operations of one product (a multiply and an add per term).
    var flops: Double { 2 * Double(m) * Double(n) * Double(k) }
  }

  /// GFLOP/s of one case, through the Tensor API and through raw `cblas_sgemm`.
  struct Result {
    var label: String
    var tensorGflops: Double
    var rawGflops: Double
  }

  /// The square sizes compared with numpy.
  static let squareSizes = [256, 512, 1024, 2048]

  /// The products of one training step of the MNIST MLP (batch 32, 784 → 128).
  static let mlpCases = [
    Case(label: "forward  x·W    (32×784)·(784×128)", m: 32, n: 128, k: 784),
    Case(
      label: "backward dW=xᵀ·g (32×784)ᵀ·(32×128)", m: 784, n: 128, k: 32, transposeA: true),
    Case(
      label: "backward dX=g·Wᵀ (32×128)·(784×128)ᵀ", m: 32, n: 784, k: 128, transposeB: true),
  ]

  /// Measures one case.
  static func run(_ c: Case, samples: Int) -> Result {
    var generator = RandomGenerator(seed: 42)
    // Stored shapes: A is m×k (k×m when transposed), B is k×n (n×k when transposed).
    let aShape = c.transposeA ? [c.k, c.m] : [c.m, c.k]
    let bShape = c.transposeB ? [c.n, c.k] : [c.k, c.n]
    let a = Tensor.randomUniform(shape: aShape, minval: -1, maxval: 1, generator: &generator)
    let b = Tensor.randomUniform(shape: bShape, minval: -1, maxval: 1, generator: &generator)

    let tensorSeconds = Measurement.bestSecondsPerCall(samples: samples) {
      blackHole(matmul(a, b, transposeA: c.transposeA, transposeB: c.transposeB))
    }

    var output = [Float](repeating: 0, count: c.m * c.n)
    let rawSeconds = a.withUnsafeBufferPointer { pa in
      b.withUnsafeBufferPointer { pb in
        output.withUnsafeMutableBufferPointer { pc in
          Measurement.bestSecondsPerCall(samples: samples) {
            cblas_sgemm(
              CblasRowMajor, c.transposeA ? CblasTrans : CblasNoTrans,
              c.transposeB ? CblasTrans : CblasNoTrans, Int32(c.m), Int32(c.n), Int32(c.k), 1,
              pa.baseAddress, Int32(aShape[1]), pb.baseAddress, Int32(bShape[1]), 0,
              pc.baseAddress, Int32(c.n))
            blackHole(pc.baseAddress)
          }
        }
      }
    }
    return Result(
      label: c.label, tensorGflops: c.flops / tensorSeconds / 1e9,
      rawGflops: c.flops / rawSeconds / 1e9)
  }

  /// Measures the square sizes and the MLP shapes and prints a table; returns the
  /// Tensor-API GFLOP/s by square size.
  @discardableResult
  static func runAll(samples: Int) -> [Int: Double] {
    print("## matmul (cblas_sgemm), best of \(samples) samples, GFLOP/s")
    print("\(padded("case", 40))  \(padded("matmul(_:_:)", 13))  \(padded("raw sgemm", 10))")
    var bySize: [Int: Double] = [:]
    let squares = squareSizes.map { Case(label: "square \($0)×\($0)", m: $0, n: $0, k: $0) }
    for c in squares + mlpCases {
      let result = run(c, samples: samples)
      if c.m == c.n && c.n == c.k { bySize[c.m] = result.tensorGflops }
      print(
        "\(padded(result.label, 40))  \(padded(formatted(result.tensorGflops), 13))  \(padded(formatted(result.rawGflops), 10))"
      )
    }
    return bySize
  }

  /// Which OpenBLAS the framework links: its build configuration, kernel and threads.
  static func describeOpenBLAS() -> String {
    let config = openblas_get_config().map { String(cString: $0) } ?? "?"
    let core = openblas_get_corename().map { String(cString: $0) } ?? "?"
    return
      "\(config.trimmingCharacters(in: .whitespaces)); kernel \(core); \(openblas_get_num_threads()) threads"
  }
}
