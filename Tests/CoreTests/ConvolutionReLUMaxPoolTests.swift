import CKernels
import SwiftKeras
import TestSupport
import XCTest

@testable import SwiftKerasCore

/// The fused convolution + ReLU + max pooling must give what the two ops give (to the
/// rounding of the convolution's sums), values and kernel and bias gradients, on every
/// shape its kernels take; its gradients must match finite differences, and its AVX2 and
/// portable versions give the same bits.
final class ConvolutionReLUMaxPoolTests: XCTestCase {
  private struct Case {
    var batch = 3
    var height: Int
    var width: Int
    var channels: Int
    var filters: Int
    var kernel: (Int, Int) = (3, 3)
    var pool: (Int, Int) = (2, 2)
    var bias = true
  }

  /// The demo's first layer; odd convolution outputs (the last row and column fall outside
  /// every window); a depth of 27 (three blocks of nine kernel rows) and of 4 (part of
  /// one); 40 filters (a 32-wide and an 8-wide block); a 3×2 pool; no bias; a batch of 20
  /// (chunks of two images).
  private let cases = [
    Case(batch: 4, height: 28, width: 28, channels: 1, filters: 32),
    Case(height: 13, width: 12, channels: 2, filters: 8),
    Case(height: 9, width: 10, channels: 3, filters: 40),
    Case(height: 7, width: 9, channels: 1, filters: 16, kernel: (2, 2), pool: (3, 2)),
    Case(height: 8, width: 8, channels: 1, filters: 24, bias: false),
    Case(batch: 20, height: 10, width: 10, channels: 1, filters: 8, kernel: (3, 2)),
  ]

  /// Output, kernel gradient and bias gradient (when the case has a bias) under `policy`.
  private func run(_ c: Case, seed: UInt64 = 5, policy: ConvolutionAlgorithmPolicy) -> [Tensor] {
    var generator = RandomGenerator(seed: seed)
    let x = Tensor.randomNormal(
      shape: [c.batch, c.height, c.width, c.channels], generator: &generator)
    let kernel = Tensor.randomNormal(
      shape: [c.kernel.0, c.kernel.1, c.channels, c.filters], generator: &generator)
    let bias = Tensor.randomNormal(shape: [c.filters], generator: &generator)
    let tape = GradientTape()
    let (k, b) = (tape.watch(kernel), tape.watch(bias))
    var y = Tensor(0)
    let loss = tape.record { () -> Tensor in
      y = Tensor.conv2dReLUMaxPool2d(
        x, k, bias: c.bias ? b : nil, poolSize: c.pool, policy: policy)
      let weights = Tensor.randomNormal(shape: y.shape, generator: &generator)
      return (y * weights).sum()
    }
    let gradients = tape.gradient(of: loss, wrt: c.bias ? [k, b] : [k])
    return [y] + gradients.map { $0! }
  }

  private func plan(_ c: Case, policy: ConvolutionAlgorithmPolicy = .automatic)
    -> ConvolutionPoolingPlan?
  {
    ConvolutionPoolingPlan(
      input: [c.batch, c.height, c.width, c.channels],
      kernel: [c.kernel.0, c.kernel.1, c.channels, c.filters], poolSize: c.pool, policy: policy)
  }

  func testPlanAppliesToShallowKernelsAndWholeFilterVectors() {
    XCTAssertEqual(ProcessorFeatures.hasVectorFMA, sk_has_vector_fma() != 0)
    guard ProcessorFeatures.hasVectorFMA else {
      XCTAssertNil(plan(cases[0]), "without vector FMA the ops stay unfused")
      return
    }
    for c in cases { XCTAssertNotNil(plan(c), "\(c)") }
    XCTAssertNil(plan(cases[0], policy: .im2col))
    XCTAssertNil(plan(Case(height: 9, width: 9, channels: 3, filters: 8, kernel: (5, 5))))
    XCTAssertNil(plan(Case(height: 9, width: 9, channels: 1, filters: 12)))
    XCTAssertNil(plan(Case(height: 9, width: 9, channels: 1, filters: 8, pool: (16, 16))))
    XCTAssertNil(plan(Case(height: 4, width: 9, channels: 1, filters: 8, pool: (3, 3))))
    XCTAssertNil(plan(Case(batch: 0, height: 9, width: 9, channels: 1, filters: 8)))
    let empty = Tensor.conv2dReLUMaxPool2d(
      Tensor.zeros([0, 9, 9, 1]), Tensor.zeros([3, 3, 1, 8]), bias: nil, poolSize: (2, 2))
    XCTAssertEqual(empty.shape, [0, 3, 3, 8])
    let geometry = plan(cases[0])!.shape
    XCTAssertEqual([geometry.out_height, geometry.out_width], [13, 13])
  }

  func testMatchesConvolutionThenPooling() {
    for (index, c) in cases.enumerated() {
      let fused = run(c, policy: .automatic)
      let reference = run(c, policy: .im2col)
      for (name, (a, b)) in zip(["output", "kernel grad", "bias grad"], zip(fused, reference)) {
        XCTAssertEqual(a.shape, b.shape, "case \(index) \(name)")
        let scale = b.scalars.map { abs($0) }.max() ?? 1
        let worst = zip(a.scalars, b.scalars).map { abs($0 - $1) }.max() ?? 0
        XCTAssertLessThanOrEqual(worst, 1e-5 * Swift.max(scale, 1), "case \(index) \(name)")
      }
    }
  }

  /// Constant images make every cell of a window equal (the first one takes the gradient),
  /// and a negative bias zeroes whole windows (no gradient at all), as the unfused ops.
  func testTiesAndWindowsClippedByReLU() {
    let x = Tensor(shape: [2, 6, 6, 1], scalars: [Float](repeating: 1, count: 72))
    var generator = RandomGenerator(seed: 9)
    let kernel = Tensor.randomNormal(shape: [3, 3, 1, 8], generator: &generator)
    let bias = Tensor(shape: [8], scalars: [0, 0, 0, 0, -100, -100, 100, 100])
    var results: [[Float]] = []
    for policy in [ConvolutionAlgorithmPolicy.automatic, .im2col] {
      let tape = GradientTape()
      let (k, b) = (tape.watch(kernel), tape.watch(bias))
      let loss = tape.record {
        Tensor.conv2dReLUMaxPool2d(x, k, bias: b, poolSize: (2, 2), policy: policy).sum()
      }
      let gradients = tape.gradient(of: loss, wrt: [k, b])
      results.append(gradients[0]!.scalars + gradients[1]!.scalars)
    }
    XCTAssertEqual(results[0].count, 9 * 8 + 8)
    for (a, b) in zip(results[0], results[1]) { XCTAssertEqual(a, b, accuracy: 1e-4) }
    XCTAssertEqual(results[0][72 + 4], 0, "a window clipped to zero passes no gradient")
    XCTAssertEqual(results[0][72 + 6], 8, "each of the 2·2·2 windows passes one gradient")
  }

  /// Equal outputs from different inputs: the first cell in scan order takes the window's
  /// gradient (TensorFlow's rule), so the kernel gradient reads that cell's input.
  func testTheFirstOfEqualCellsTakesTheGradient() {
    // Cells (channel 0, channel 1), row-major: (1, 0), (0, 1), (0, 1), (0, 1); every
    // filter of an all-ones 1×1 kernel sees 1 in each.
    let x = Tensor(shape: [1, 2, 2, 2], scalars: [1, 0, 0, 1, 0, 1, 0, 1])
    let kernel = Tensor(shape: [1, 1, 2, 8], scalars: [Float](repeating: 1, count: 16))
    for policy in [ConvolutionAlgorithmPolicy.automatic, .im2col] {
      let tape = GradientTape()
      let k = tape.watch(kernel)
      let loss = tape.record {
        Tensor.conv2dReLUMaxPool2d(x, k, bias: nil, poolSize: (2, 2), policy: policy).sum()
      }
      let dk = tape.gradient(of: loss, wrt: [k])[0]!
      XCTAssertEqual(dk.scalars, [Float](repeating: 1, count: 8) + [Float](repeating: 0, count: 8))
    }
  }

  func testGradientsMatchFiniteDifferences() {
    let x = sampleTensor([2, 7, 6, 2], seed: 1)
    let kernel = sampleTensor([3, 3, 2, 8], seed: 2)
    let bias = sampleTensor([8], seed: 3)
    if ProcessorFeatures.hasVectorFMA {
      XCTAssertNotNil(
        ConvolutionPoolingPlan(
          input: x.shape, kernel: kernel.shape, poolSize: (2, 2), policy: .automatic),
        "the fused kernels run")
    }
    assertGradientsMatchFiniteDifferences([kernel, bias], epsilon: 1e-3, tolerance: 1e-2) {
      Tensor.conv2dReLUMaxPool2d(x, $0[0], bias: $0[1], poolSize: (2, 2))
    }
  }

  /// With an input that needs a gradient the op runs unfused: all three gradients.
  func testInputGradientRunsUnfused() {
    let x = sampleTensor([2, 6, 6, 1], seed: 4)
    let kernel = sampleTensor([3, 3, 1, 8], seed: 5)
    let bias = sampleTensor([8], seed: 6)
    assertGradientsMatchFiniteDifferences([x, kernel, bias], epsilon: 1e-3, tolerance: 1e-2) {
      Tensor.conv2dReLUMaxPool2d($0[0], $0[1], bias: $0[2], poolSize: (2, 2))
    }
  }

  func testVersionsGiveTheSameBits() {
    let c = cases[2]
    var generator = RandomGenerator(seed: 3)
    let x = Tensor.randomNormal(
      shape: [c.batch, c.height, c.width, c.channels], generator: &generator)
    let kernel = Tensor.randomNormal(shape: [3, 3, c.channels, c.filters], generator: &generator)
    let bias = Tensor.randomNormal(shape: [c.filters], generator: &generator)
    var shape = sk_conv_pool2d(
      height: c.height, width: c.width, channels: c.channels, filters: c.filters,
      kernel_height: 3, kernel_width: 3, pool_height: 2, pool_width: 2,
      out_height: (c.height - 2) / 2, out_width: (c.width - 2) / 2)
    let outputs = c.batch * shape.out_height * shape.out_width * c.filters
    let dy = Tensor.randomNormal(shape: [outputs], generator: &generator)
    var results: [[Float]] = []
    var indices: [[UInt8]] = []
    for level in Int32(0)...1 {
      var y = [Float](repeating: 0, count: outputs)
      var argmax = [UInt8](repeating: 0, count: outputs)
      var dk = [Float](repeating: 0, count: 27 * c.filters)
      var db = [Float](repeating: 0, count: c.filters)
      sk_conv_relu_max_pool2d_with_level(
        x.scalars, kernel.scalars, bias.scalars, &y, &argmax, &shape, 0, c.batch, level)
      sk_conv_relu_max_pool2d_backward_with_level(
        x.scalars, y, argmax, dy.scalars, &dk, &db, &shape, 0, c.batch, level)
      results.append(y + dk + db)
      indices.append(argmax)
    }
    XCTAssertTrue(results[0].contains { $0 != 0 } && !results[0].contains { $0.isNaN })
    XCTAssertEqual(Set(indices[0]), [0, 1, 2, 3])
    XCTAssertEqual(results[1].map(\.bitPattern), results[0].map(\.bitPattern))
    XCTAssertEqual(indices[1], indices[0])
  }
}
