import SwiftKeras
import SwiftKerasCore
import SwiftKerasLayers
import TestSupport
import XCTest

/// Convolution layers against Keras (outputs, shapes, configs, TensorFlow gradients)
/// and finite differences.
final class ConvLayerTests: XCTestCase {
  func testConv2DValid() throws {
    try checkConvAgainstKeras("conv2d_valid", Conv2D(4, kernelSize: 3))
  }

  func testConv2DSameStride2Relu() throws {
    try checkConvAgainstKeras(
      "conv2d_same_stride2_relu",
      Conv2D(5, kernelSize: 3, strides: 2, padding: "same", activation: .relu))
  }

  func testConv2DSameEvenKernel() throws {
    try checkConvAgainstKeras(
      "conv2d_same_even_kernel", Conv2D(3, kernelSize: [4, 2], strides: [1, 2], padding: "same"))
  }

  func testConv2DDilation() throws {
    try checkConvAgainstKeras(
      "conv2d_dilation_same", Conv2D(3, kernelSize: 3, padding: "same", dilationRate: 2))
    try checkConvAgainstKeras(
      "conv2d_dilation_valid", Conv2D(2, kernelSize: [3, 2], dilationRate: [2, 3]))
  }

  func testConv2DGroups() throws {
    try checkConvAgainstKeras("conv2d_groups", Conv2D(6, kernelSize: 3, strides: 2, groups: 2))
    try checkConvAgainstKeras(
      "conv2d_groups_same",
      Conv2D(4, kernelSize: 2, padding: "same", groups: 4, useBias: false))
  }

  func testConv2DPointwiseAndOddStrides() throws {
    try checkConvAgainstKeras("conv2d_1x1_no_bias", Conv2D(4, kernelSize: 1, useBias: false))
    try checkConvAgainstKeras(
      "conv2d_stride3_odd", Conv2D(2, kernelSize: [2, 3], strides: [3, 2], padding: "same"))
  }

  func testConv1D() throws {
    try checkConvAgainstKeras(
      "conv1d_same_stride2", Conv1D(4, kernelSize: 3, strides: 2, padding: "same"))
    try checkConvAgainstKeras("conv1d_valid", Conv1D(3, kernelSize: 4, activation: .tanh))
    try checkConvAgainstKeras(
      "conv1d_causal_dilated", Conv1D(3, kernelSize: 2, padding: "causal", dilationRate: 2))
  }

  func testConv2DFiniteDifferences() throws {
    var generator = RandomGenerator(seed: 3)
    let x = Tensor.randomUniform(shape: [2, 5, 6, 4], minval: -1, maxval: 1, generator: &generator)
    try assertLayerGradientsMatchFiniteDifferences(
      Conv2D(4, kernelSize: [2, 3], strides: 2, padding: "same", groups: 2), [x])
    try assertLayerGradientsMatchFiniteDifferences(
      Conv2D(3, kernelSize: 3, dilationRate: [1, 2]), [x])
    // Bias and ReLU fused into the convolution; 60 outputs, so the vector loop and its
    // scalar tail both run.
    let single = x.slice(0..<1)
    try assertLayerGradientsMatchFiniteDifferences(
      Conv2D(3, kernelSize: 2, activation: .relu, biasInitializer: Constant(value: 0.1)), [single],
      epsilon: 1e-3)
  }

  func testSingleChannelWindowsAgainstDirectSums() throws {
    // One input channel makes each window row a short run (1 to 3 floats), copied by
    // the patch builder's unrolled path; compare with the convolution written out.
    var generator = RandomGenerator(seed: 21)
    let x = Tensor.randomUniform(shape: [2, 5, 6, 1], minval: -1, maxval: 1, generator: &generator)
    for (kh, kw) in [(3, 3), (2, 2), (3, 1)] {
      let layer = Conv2D(2, kernelSize: [kh, kw], biasInitializer: Constant(value: 0.25))
      let y = try layer(x)
      let k = layer.kernel!.untrackedValue
      let (oh, ow) = (5 - kh + 1, 6 - kw + 1)
      XCTAssertEqual(y.shape, [2, oh, ow, 2])
      for n in 0..<2 {
        for r in 0..<oh {
          for c in 0..<ow {
            for f in 0..<2 {
              var sum: Float = 0.25
              for i in 0..<kh {
                for j in 0..<kw { sum += x[[n, r + i, c + j, 0]] * k[[i, j, 0, f]] }
              }
              XCTAssertEqual(
                y[[n, r, c, f]], sum, accuracy: 1e-5, "\(kh)×\(kw) at \([n, r, c, f])")
            }
          }
        }
      }
    }
  }

  func testBadArgumentsThrow() {
    XCTAssertThrowsError(try Conv2D(4, kernelSize: 3, padding: "full")(Tensor.zeros([1, 5, 5, 1])))
    XCTAssertThrowsError(try Conv2D(4, kernelSize: 3, groups: 3)(Tensor.zeros([1, 5, 5, 2])))
    XCTAssertThrowsError(try Conv2D(4, kernelSize: 6)(Tensor.zeros([1, 5, 5, 1])))
    XCTAssertThrowsError(try Conv2D(4, kernelSize: [3, 3, 3])(Tensor.zeros([1, 5, 5, 1])))
    XCTAssertThrowsError(try Conv2D(4, kernelSize: 3)(Tensor.zeros([5, 5, 1])))
    XCTAssertThrowsError(
      try Conv2D(4, kernelSize: 3, strides: 2, dilationRate: 2)(Tensor.zeros([1, 9, 9, 1])))
    let layer = Conv2D(2, kernelSize: 3)
    XCTAssertNoThrow(try layer(Tensor.zeros([1, 5, 5, 1])))
    XCTAssertThrowsError(try layer(Tensor.zeros([1, 5, 5, 2])))
    XCTAssertThrowsError(try layer(Tensor.zeros([1, 2, 5, 1])))
    // Other spatial sizes are fine, as Keras.
    XCTAssertEqual(try layer(Tensor.zeros([2, 7, 6, 1])).shape, [2, 5, 4, 2])
  }
}

/// Transposed, depthwise and separable convolutions against Keras.
final class ConvVariantTests: XCTestCase {
  func testConv2DTranspose() throws {
    try checkConvAgainstKeras(
      "conv2d_transpose_valid_stride2", Conv2DTranspose(3, kernelSize: 3, strides: 2))
    try checkConvAgainstKeras(
      "conv2d_transpose_same_stride2",
      Conv2DTranspose(2, kernelSize: [4, 3], strides: 2, padding: "same"))
    try checkConvAgainstKeras(
      "conv2d_transpose_kernel_lt_stride", Conv2DTranspose(2, kernelSize: 2, strides: 3))
    try checkConvAgainstKeras(
      "conv2d_transpose_stride1_same", Conv2DTranspose(3, kernelSize: 3, padding: "same"))
  }

  func testConv2DTransposeOutputPadding() throws {
    try checkConvAgainstKeras(
      "conv2d_transpose_output_padding_valid",
      Conv2DTranspose(2, kernelSize: 3, strides: 2, outputPadding: 1))
    try checkConvAgainstKeras(
      "conv2d_transpose_output_padding_same",
      Conv2DTranspose(
        2, kernelSize: [3, 4], strides: [3, 2], padding: "same", outputPadding: [2, 1]))
    try checkConvAgainstKeras(
      "conv2d_transpose_output_padding_dilated",
      Conv2DTranspose(3, kernelSize: 2, strides: 2, padding: "same", outputPadding: [1, 1]))
  }

  func testConv2DTransposeRejectsBadOutputPadding() {
    // Keras: the output padding must be smaller than the stride.
    let tooLarge = Conv2DTranspose(2, kernelSize: 3, strides: 2, outputPadding: 2)
    XCTAssertThrowsError(try tooLarge(Tensor.zeros([1, 3, 3, 1]))) { error in
      XCTAssertTrue("\(error)".contains("outputPadding"), "\(error)")
    }
    // An even kernel, "same" padding and no extra row: the size cannot convolve back.
    let even = Conv2DTranspose(2, kernelSize: 2, strides: 2, padding: "same", outputPadding: 0)
    XCTAssertThrowsError(try even(Tensor.zeros([1, 3, 3, 1]))) { error in
      XCTAssertTrue("\(error)".contains("does not convolve back"), "\(error)")
    }
  }

  func testDepthwiseConv2D() throws {
    try checkConvAgainstKeras(
      "depthwise_conv2d_same_stride2",
      DepthwiseConv2D(kernelSize: 3, strides: 2, padding: "same", depthMultiplier: 2))
    try checkConvAgainstKeras("depthwise_conv2d_valid", DepthwiseConv2D(kernelSize: [2, 3]))
  }

  func testSeparableConv2D() throws {
    try checkConvAgainstKeras(
      "separable_conv2d", SeparableConv2D(4, kernelSize: 3, depthMultiplier: 2))
    try checkConvAgainstKeras(
      "separable_conv2d_same_relu",
      SeparableConv2D(3, kernelSize: 3, padding: "same", activation: .relu))
  }

  func testVariantsFiniteDifferences() throws {
    var generator = RandomGenerator(seed: 9)
    let x = Tensor.randomUniform(shape: [2, 4, 5, 2], minval: -1, maxval: 1, generator: &generator)
    try assertLayerGradientsMatchFiniteDifferences(
      Conv2DTranspose(2, kernelSize: [3, 2], strides: [2, 3], padding: "same"), [x])
    try assertLayerGradientsMatchFiniteDifferences(
      Conv2DTranspose(2, kernelSize: 3, strides: [2, 3], outputPadding: [1, 2]), [x])
    try assertLayerGradientsMatchFiniteDifferences(
      DepthwiseConv2D(kernelSize: 2, strides: 2, padding: "same", depthMultiplier: 2), [x])
    try assertLayerGradientsMatchFiniteDifferences(
      SeparableConv2D(3, kernelSize: 3, padding: "same", dilationRate: 2), [x])
  }
}
