import SwiftKeras
import SwiftKerasCore
import SwiftKerasLayers
import TestSupport
import XCTest

/// Pooling, padding, cropping, upsampling and spatial dropout against Keras (outputs,
/// shapes, configs, TensorFlow input gradients) and finite differences.
final class PoolingLayerTests: XCTestCase {
  func testMaxPooling2D() throws {
    try checkConvAgainstKeras("max_pooling2d", MaxPooling2D(2))
    try checkConvAgainstKeras(
      "max_pooling2d_same_stride2", MaxPooling2D(3, strides: 2, padding: "same"))
    try checkConvAgainstKeras("max_pooling2d_rect", MaxPooling2D([2, 3], strides: [1, 2]))
  }

  func testAveragePooling2D() throws {
    try checkConvAgainstKeras("average_pooling2d", AveragePooling2D(2))
    try checkConvAgainstKeras(
      "average_pooling2d_same", AveragePooling2D([3, 2], strides: [2, 1], padding: "same"))
  }

  func testPooling1D() throws {
    try checkConvAgainstKeras("max_pooling1d", MaxPooling1D(2))
    try checkConvAgainstKeras("max_pooling1d_same", MaxPooling1D(3, strides: 2, padding: "same"))
    try checkConvAgainstKeras(
      "average_pooling1d_same", AveragePooling1D(3, strides: 2, padding: "same"))
    try checkConvAgainstKeras("average_pooling1d", AveragePooling1D(2, strides: 1))
  }

  func testGlobalPooling() throws {
    try checkConvAgainstKeras("global_max_pooling1d", GlobalMaxPooling1D())
    try checkConvAgainstKeras("global_max_pooling2d", GlobalMaxPooling2D())
    try checkConvAgainstKeras("global_max_pooling2d_keepdims", GlobalMaxPooling2D(keepdims: true))
    try checkConvAgainstKeras("global_average_pooling2d", GlobalAveragePooling2D())
    try checkConvAgainstKeras(
      "global_average_pooling2d_keepdims", GlobalAveragePooling2D(keepdims: true))
  }

  func testPaddingCroppingUpsampling() throws {
    try checkConvAgainstKeras(
      "zero_padding2d", ZeroPadding2D(top: 1, bottom: 2, left: 0, right: 3))
    try checkConvAgainstKeras("zero_padding2d_int", ZeroPadding2D(1))
    try checkConvAgainstKeras("cropping2d", Cropping2D(top: 1, bottom: 0, left: 2, right: 1))
    try checkConvAgainstKeras("cropping2d_int", Cropping2D(1))
    try checkConvAgainstKeras("up_sampling2d", UpSampling2D([2, 3]))
    try checkConvAgainstKeras("up_sampling2d_int", UpSampling2D(2))
    try checkConvAgainstKeras(
      "up_sampling2d_bilinear", UpSampling2D([2, 3], interpolation: "bilinear"))
    try checkConvAgainstKeras(
      "up_sampling2d_bilinear_int", UpSampling2D(3, interpolation: "bilinear"))
  }

  func testSpatialDropout2D() throws {
    try checkConvAgainstKeras("spatial_dropout2d", SpatialDropout2D(0.3))
    // In training whole channels drop together and survivors scale by 1 / (1 - rate).
    let layer = SpatialDropout2D(0.5, seed: 11)
    let x = Tensor(repeating: 1, shape: [4, 3, 5, 8])
    let y = try layer(x, training: true).scalars
    var dropped = 0
    for n in 0..<4 {
      for c in 0..<8 {
        let first = y[n * 120 + c]
        XCTAssertTrue(first == 0 || first == 2, "mask value \(first)")
        if first == 0 { dropped += 1 }
        for p in 0..<15 { XCTAssertEqual(y[n * 120 + p * 8 + c], first) }
      }
    }
    XCTAssertGreaterThan(dropped, 0)
    XCTAssertLessThan(dropped, 32)
  }

  func testPoolingFiniteDifferences() throws {
    var generator = RandomGenerator(seed: 5)
    let x = Tensor.randomUniform(shape: [2, 5, 6, 3], minval: -1, maxval: 1, generator: &generator)
    try assertLayerGradientsMatchFiniteDifferences(
      MaxPooling2D([2, 3], strides: 2, padding: "same"), [x], epsilon: 1e-3)
    try assertLayerGradientsMatchFiniteDifferences(
      AveragePooling2D(3, strides: [2, 1], padding: "same"), [x])
    try assertLayerGradientsMatchFiniteDifferences(UpSampling2D([2, 1]), [x])
    try assertLayerGradientsMatchFiniteDifferences(
      UpSampling2D([3, 2], interpolation: "bilinear"), [x])
    // Ten channels: the eight-wide vector path and a scalar tail. Distinct values 0.01
    // apart, so no window has a near tie that finite differences would straddle.
    let wide = Tensor(
      shape: [2, 4, 5, 10], scalars: (0..<400).map { Float(($0 * 37) % 400) * 0.01 - 2 })
    try assertLayerGradientsMatchFiniteDifferences(MaxPooling2D(2), [wide], epsilon: 1e-3)
    try assertLayerGradientsMatchFiniteDifferences(
      MaxPooling2D(3, strides: 1, padding: "same"), [wide], epsilon: 1e-3)
    try assertLayerGradientsMatchFiniteDifferences(
      Cropping2D(top: 1, bottom: 2, left: 0, right: 1), [x])
  }

  func testBadArgumentsThrow() {
    XCTAssertThrowsError(try MaxPooling2D(2, padding: "full")(Tensor.zeros([1, 4, 4, 1])))
    XCTAssertThrowsError(try MaxPooling2D(5)(Tensor.zeros([1, 4, 4, 1])))
    XCTAssertThrowsError(try MaxPooling2D(2)(Tensor.zeros([4, 4, 1])))
    XCTAssertThrowsError(try MaxPooling2D(0)(Tensor.zeros([1, 4, 4, 1])))
    XCTAssertThrowsError(try Cropping2D(2)(Tensor.zeros([1, 4, 4, 1])))
    XCTAssertThrowsError(try ZeroPadding2D(-1)(Tensor.zeros([1, 4, 4, 1])))
    XCTAssertThrowsError(try ZeroPadding2D([1, 2, 3])(Tensor.zeros([1, 4, 4, 1])))
    XCTAssertThrowsError(try Cropping2D([1, 0, 1])(Tensor.zeros([1, 4, 4, 1])))
    XCTAssertThrowsError(try UpSampling2D([2, 2, 2])(Tensor.zeros([1, 4, 4, 1])))
    XCTAssertThrowsError(
      try UpSampling2D(2, interpolation: "bicubic")(Tensor.zeros([1, 4, 4, 1])))
    // An image with no rows is not an error: it upsamples to no rows, whichever method.
    XCTAssertEqual(
      try UpSampling2D(2, interpolation: "bilinear")(Tensor.zeros([1, 0, 4, 1])).shape,
      [1, 0, 8, 1])
    XCTAssertThrowsError(try SpatialDropout2D(1.5)(Tensor.zeros([1, 4, 4, 1])))
    let pool = MaxPooling2D(3)
    XCTAssertNoThrow(try pool(Tensor.zeros([1, 6, 6, 2])))
    XCTAssertThrowsError(try pool(Tensor.zeros([1, 2, 6, 2])))
  }
}
