import CKernels
import SwiftKeras
import TestSupport
import XCTest

@testable import SwiftKerasCore

/// Convolutions and pooling split a batch into chunks of whole images that run on
/// several cores: the results must equal running each image alone, and repeat bit for bit.
final class ConvolutionChunkTests: XCTestCase {
  /// 37 images of 40×40×4: about 280 KB of patches and outputs each, so a batch makes
  /// many chunks, the last one short.
  private func batch(_ generator: inout RandomGenerator) -> Tensor {
    Tensor.randomNormal(shape: [37, 40, 40, 4], generator: &generator)
  }

  func testImagesPerChunkSplitsThisBatch() {
    let geometry = ConvolutionGeometry(
      batch: 37, height: 40, width: 40, channels: 4, kernel: (3, 3), strides: (1, 1),
      dilation: (1, 1), padding: .same)!
    let perChunk = convolutionImagesPerChunk(geometry: geometry, depth: 3 * 3 * 4 + 8)
    XCTAssertGreaterThan(perChunk, 1)
    XCTAssertLessThan(perChunk, 12, "the test batch must make several chunks")
  }

  /// Forward values and all three gradients of the batched convolution against each
  /// image convolved on its own.
  private func checkAgainstSingleImages(
    groups: Int, file: StaticString = #filePath, line: UInt = #line
  ) {
    var generator = RandomGenerator(seed: 5)
    let x = batch(&generator)
    let kernel = Tensor.randomNormal(shape: [3, 3, 4 / groups, 8], generator: &generator)
    let bias = Tensor.randomNormal(shape: [8], generator: &generator)
    let weights = Tensor.randomNormal(shape: [37, 40, 40, 8], generator: &generator)

    func run(_ images: Tensor, _ outputWeights: Tensor) -> (Tensor, [Tensor?]) {
      let tape = GradientTape()
      let (xi, k, b) = (tape.watch(images), tape.watch(kernel), tape.watch(bias))
      var y = Tensor(0)
      let loss = tape.record { () -> Tensor in
        y = Tensor.conv2d(xi, k, bias: b, fusedReLU: true, padding: .same, groups: groups)
        return (y * outputWeights).sum()
      }
      return (y, tape.gradient(of: loss, wrt: [xi, k, b]))
    }

    let (y, gradients) = run(x, weights)
    var outputs: [Tensor] = []
    var inputGradients: [Tensor] = []
    var kernelGradient = Tensor(repeating: 0, shape: kernel.shape)
    var biasGradient = Tensor(repeating: 0, shape: [8])
    for image in 0..<37 {
      let (yi, gi) = run(x[rows: image..<image + 1], weights[rows: image..<image + 1])
      outputs.append(yi)
      inputGradients.append(gi[0]!)
      kernelGradient = kernelGradient + gi[1]!
      biasGradient = biasGradient + gi[2]!
    }
    assertClose(y, Tensor.concatenate(outputs), tolerance: 1e-6, file: file, line: line)
    assertClose(
      gradients[0]!, Tensor.concatenate(inputGradients), tolerance: 1e-5, file: file, line: line)
    // Sums over 59,200 positions in another order: compare against their scale.
    for (got, expected) in [(gradients[1]!, kernelGradient), (gradients[2]!, biasGradient)] {
      let scale = expected.scalars.map(abs).max() ?? 1
      let worst = zip(got.scalars, expected.scalars).map { abs($0 - $1) }.max() ?? 0
      XCTAssertLessThanOrEqual(worst, 1e-5 * scale, "\(got.shape)", file: file, line: line)
    }

    let (again, gradientsAgain) = run(x, weights)
    XCTAssertEqual(
      again.scalars.map(\.bitPattern), y.scalars.map(\.bitPattern), file: file, line: line)
    for (a, b) in zip(gradients, gradientsAgain) {
      XCTAssertEqual(
        a!.scalars.map(\.bitPattern), b!.scalars.map(\.bitPattern), file: file, line: line)
    }
  }

  func testChunkedConvolutionEqualsSingleImages() {
    checkAgainstSingleImages(groups: 1)
  }

  func testChunkedGroupedConvolutionEqualsSingleImages() {
    checkAgainstSingleImages(groups: 2)
  }

  func testPoolingOverManyImagesEqualsSingleImages() {
    // 32 K floats per image: the batch is split over the cores (from 2¹⁸ floats per part).
    var generator = RandomGenerator(seed: 9)
    let x = Tensor.randomNormal(shape: [37, 64, 64, 8], generator: &generator)
    let weights = Tensor.randomNormal(shape: [37, 32, 32, 8], generator: &generator)
    for average in [false, true] {
      func run(_ images: Tensor, _ outputWeights: Tensor) -> (Tensor, Tensor) {
        let tape = GradientTape()
        let xi = tape.watch(images)
        var y = Tensor(0)
        let loss = tape.record { () -> Tensor in
          y =
            average
            ? xi.averagePool2d(poolSize: (3, 3), strides: (2, 2), padding: .same)
            : xi.maxPool2d(poolSize: (3, 3), strides: (2, 2), padding: .same)
          return (y * outputWeights).sum()
        }
        return (y, tape.gradient(of: loss, wrt: xi)!)
      }
      let (y, dx) = run(x, weights)
      let singles = (0..<37).map { run(x[rows: $0..<$0 + 1], weights[rows: $0..<$0 + 1]) }
      XCTAssertEqual(y.scalars, Tensor.concatenate(singles.map(\.0)).scalars, "average \(average)")
      XCTAssertEqual(dx.scalars, Tensor.concatenate(singles.map(\.1)).scalars, "average \(average)")
    }
  }
}

/// The max-pooling kernels (C: AVX2 and portable) give the same bits.
final class MaxPoolingKernelTests: XCTestCase {
  func testPortableAndVectorVersionsAgree() {
    var generator = RandomGenerator(seed: 12)
    // 21 channels: the eight-wide loop and its scalar tail; a 3×3 window, stride 2,
    // "same" padding, and ties (values rounded to tenths) so the first-maximum rule matters.
    let x = Tensor.randomUniform(
      shape: [3, 9, 8, 21], minval: -1, maxval: 1, generator: &generator
    )
    .mapped { ($0 * 10).rounded() / 10 }
    let geometry = ConvolutionGeometry(
      batch: 3, height: 9, width: 8, channels: 21, kernel: (3, 3), strides: (2, 2),
      dilation: (1, 1), padding: .same)!
    var sweep = geometry.poolSweep
    let outCount = geometry.patchRows * 21
    let dy = Tensor.randomUniform(shape: [outCount], generator: &generator).scalars
    var results: [[Float]] = []
    for level: Int32 in [0, 1] {
      var y = [Float](repeating: .nan, count: outCount)
      var dx = [Float](repeating: .nan, count: x.count)
      x.scalars.withUnsafeBufferPointer { input in
        sk_max_pool2d_with_level(input.baseAddress, &y, &sweep, 0, 3, level)
        sk_max_pool2d_backward_with_level(input.baseAddress, y, dy, &dx, &sweep, 0, 3, level)
      }
      results.append(y + dx)
    }
    XCTAssertFalse(results[0].contains { $0.isNaN }, "every output and gradient written")
    XCTAssertEqual(results[0].map(\.bitPattern), results[1].map(\.bitPattern))
    // Each window's gradient lands once: the input gradient sums to the output gradient.
    let dxSum = results[0].suffix(from: outCount).reduce(Float(0), +)
    XCTAssertEqual(dxSum, dy.reduce(0, +), accuracy: 1e-3)
  }
}
