import CKernels
import SwiftKeras
import TestSupport
import XCTest

@testable import SwiftKerasCore

/// Winograd's F(2×2, 3×3) must give what im2col gives (to rounding), in the forward pass
/// and all three gradients, for every border case, and its gradient must match finite
/// differences; its AVX-512, AVX2 and portable versions must give the same bits.
final class WinogradConvolutionTests: XCTestCase {
  private let initialPolicy = ConvolutionAlgorithmPolicy.current
  private let initialTile = WinogradPlan.forcedTile

  override func tearDown() {
    ConvolutionAlgorithmPolicy.current = initialPolicy
    WinogradPlan.forcedTile = initialTile
    super.tearDown()
  }

  private struct Case {
    var batch: Int
    var height: Int
    var width: Int
    var channels: Int
    var filters: Int
    var padding: ConvolutionPadding
  }

  /// Odd and even sizes (partial tiles at the bottom and right), "same" and "valid", channel
  /// and filter counts that take every column path of the small products (64, 32, 16 wide
  /// and single columns), and a batch large enough to make several chunks.
  private let cases = [
    Case(batch: 2, height: 5, width: 7, channels: 3, filters: 5, padding: .valid),
    Case(batch: 3, height: 6, width: 6, channels: 17, filters: 40, padding: .same),
    Case(batch: 1, height: 3, width: 4, channels: 2, filters: 1, padding: .valid),
    Case(batch: 2, height: 9, width: 8, channels: 33, filters: 113, padding: .same),
    Case(batch: 20, height: 13, width: 13, channels: 32, filters: 64, padding: .valid),
    Case(
      batch: 2, height: 6, width: 7, channels: 4, filters: 16,
      padding: .explicit(top: 2, bottom: 0, left: 1, right: 2)),
  ]

  /// Output, input, kernel and bias gradients of a biased, ReLU-fused convolution under
  /// `policy`.
  private func run(_ c: Case, relu: Bool, policy: ConvolutionAlgorithmPolicy) -> [Tensor] {
    let previous = ConvolutionAlgorithmPolicy.current
    ConvolutionAlgorithmPolicy.current = policy
    defer { ConvolutionAlgorithmPolicy.current = previous }
    var generator = RandomGenerator(seed: 11)
    let x = Tensor.randomNormal(
      shape: [c.batch, c.height, c.width, c.channels], generator: &generator)
    let kernel = Tensor.randomNormal(shape: [3, 3, c.channels, c.filters], generator: &generator)
    let bias = Tensor.randomNormal(shape: [c.filters], generator: &generator)
    let tape = GradientTape()
    let (xi, k, b) = (tape.watch(x), tape.watch(kernel), tape.watch(bias))
    var y = Tensor(0)
    let loss = tape.record { () -> Tensor in
      y = Tensor.conv2d(xi, k, bias: b, fusedReLU: relu, padding: c.padding)
      let weights = Tensor.randomNormal(shape: y.shape, generator: &generator)
      return (y * weights).sum()
    }
    let gradients = tape.gradient(of: loss, wrt: [xi, k, b])
    return [y] + gradients.map { $0! }
  }

  func testPlanAppliesOnlyToStrideOneUndilatedUngroupedThreeByThree() {
    func plan(
      kernel: (Int, Int) = (3, 3), strides: (Int, Int) = (1, 1), dilation: (Int, Int) = (1, 1),
      channels: Int = 32, filters: Int = 64, groups: Int = 1
    ) -> WinogradPlan? {
      let geometry = ConvolutionGeometry(
        batch: 4, height: 13, width: 13, channels: channels, kernel: kernel, strides: strides,
        dilation: dilation, padding: .valid)!
      return WinogradPlan(
        geometry: geometry, filters: filters, groups: groups, policy: .automatic)
    }
    XCTAssertNotNil(plan())
    XCTAssertNil(plan(kernel: (3, 2)))
    XCTAssertNil(plan(strides: (2, 2)))
    XCTAssertNil(plan(dilation: (2, 1)))
    XCTAssertNil(plan(groups: 2))
    XCTAssertNil(plan(channels: 1), "the first layer of an image network keeps im2col")
    XCTAssertNil(plan(filters: 8))
  }

  func testMatchesIm2colForwardAndGradients() {
    for tile in [2, 4] {
      WinogradPlan.forcedTile = tile
      compareWithIm2col(tile: tile)
    }
  }

  private func compareWithIm2col(tile: Int) {
    for (index, c) in cases.enumerated() {
      for relu in [false, true] {
        let winograd = run(c, relu: relu, policy: .winogradWhereApplicable)
        let reference = run(c, relu: relu, policy: .im2col)
        for (name, (a, b)) in zip(
          ["output", "input grad", "kernel grad", "bias grad"],
          zip(
            winograd, reference))
        {
          // Sums of 9·channels products (and of many tiles for the kernel gradient):
          // compare relative to the largest value of the tensor.
          let scale = b.scalars.map { abs($0) }.max() ?? 1
          let worst = zip(a.scalars, b.scalars).map { abs($0 - $1) }.max() ?? 0
          XCTAssertEqual(a.shape, b.shape, "case \(index) \(name)")
          XCTAssertLessThanOrEqual(
            // Measured: at most 7.6e-7 of the largest value with F(2×2), 5.2e-6 with
            // F(4×4), whose transforms multiply by up to 8 and divide by 24.
            worst, 2e-5 * Swift.max(scale, 1),
            "F(\(tile)×\(tile)) case \(index) relu \(relu) \(name)")
        }
      }
    }
  }

  func testTileWithFewerProducts() {
    WinogradPlan.forcedTile = nil
    func tile(_ height: Int, _ width: Int) -> Int {
      let geometry = ConvolutionGeometry(
        batch: 1, height: height + 2, width: width + 2, channels: 32, kernel: (3, 3),
        strides: (1, 1), dilation: (1, 1), padding: .valid)!
      XCTAssertEqual([geometry.outHeight, geometry.outWidth], [height, width])
      return WinogradPlan(
        geometry: geometry, filters: 64, groups: 1, policy: .winogradWhereApplicable)?.shape
        .tile ?? 0
    }
    // 11×11: 9 tiles of 36 products against 36 of 16.
    XCTAssertEqual(tile(11, 11), 4)
    XCTAssertEqual(tile(8, 8), 4)
    // 6×6 and 5×5: 4 tiles of 36 against 9 of 16, a tie; 2×2: 36 against 16.
    XCTAssertEqual(tile(6, 6), 2)
    XCTAssertEqual(tile(5, 5), 2)
    XCTAssertEqual(tile(2, 2), 2)
  }

  func testSeveralChunksSplitTheBatch() {
    let geometry = ConvolutionGeometry(
      batch: 20, height: 13, width: 13, channels: 32, kernel: (3, 3), strides: (1, 1),
      dilation: (1, 1), padding: .valid)!
    let plan = WinogradPlan(geometry: geometry, filters: 64, groups: 1)!
    XCTAssertLessThan(plan.imagesPerChunk, 10, "case 4 must make several chunks")
  }

  func testGradientsMatchFiniteDifferences() {
    ConvolutionAlgorithmPolicy.current = .winogradWhereApplicable
    let x = sampleTensor([2, 5, 6, 3], seed: 1)
    let kernel = sampleTensor([3, 3, 3, 4], seed: 2)
    let bias = sampleTensor([4], seed: 3)
    for tile in [2, 4] {
      WinogradPlan.forcedTile = tile
      for padding in [ConvolutionPadding.valid, .same] {
        assertGradientsMatchFiniteDifferences([x, kernel, bias], epsilon: 1e-2, tolerance: 1e-2) {
          Tensor.conv2d($0[0], $0[1], bias: $0[2], fusedReLU: false, padding: padding)
        }
      }
    }
  }

  func testVersionsGiveTheSameBits() {
    for tile in [2, 4] { compareVersions(tile: tile) }
  }

  private func compareVersions(tile: Int) {
    var generator = RandomGenerator(seed: 3)
    let (n, h, w, c, f) = (3, 9, 7, 19, 70)
    let x = Tensor.randomNormal(shape: [n, h, w, c], generator: &generator)
    let kernel = Tensor.randomNormal(shape: [3, 3, c, f], generator: &generator)
    let bias = Tensor.randomNormal(shape: [f], generator: &generator)
    let dy = Tensor.randomNormal(shape: [n, h, w, f], generator: &generator)
    var shape = sk_winograd3x3(
      height: h, width: w, channels: c, filters: f, pad_top: 1, pad_left: 1, out_height: h,
      out_width: w, tile: tile)
    let matrices = (tile + 2) * (tile + 2)
    XCTAssertEqual(sk_winograd_matrices(&shape), matrices)
    var u = [Float](repeating: 0, count: matrices * c * f)
    var ut = u
    sk_winograd_transform_kernel(&shape, kernel.scalars, &u)
    sk_winograd_transpose_kernel(&shape, u, &ut)
    var scratch = [Float](repeating: 0, count: sk_winograd_scratch_floats(&shape, n))
    var outputs: [[Float]] = []
    for level in Int32(0)...2 {
      var y = [Float](repeating: 0, count: n * h * w * f)
      var dx = [Float](repeating: 0, count: n * h * w * c)
      var du = [Float](repeating: 0, count: matrices * c * f)
      sk_winograd_forward_with_level(
        x.scalars, u, bias.scalars, 1, &y, &shape, 0, n, &scratch, level)
      var dbias = [Float](repeating: 0, count: f)
      sk_winograd_backward_with_level(
        x.scalars, y, dy.scalars, ut, &dx, &du, &dbias, &shape, 0, n, &scratch, level)
      outputs.append(y + dx + du + dbias)
    }
    XCTAssertTrue(outputs.allSatisfy { !$0.contains { $0.isNaN } })
    for level in 1...2 {
      XCTAssertEqual(
        outputs[level].map(\.bitPattern), outputs[0].map(\.bitPattern),
        "F(\(tile)×\(tile)) level \(level) against the portable version")
    }
  }
}
