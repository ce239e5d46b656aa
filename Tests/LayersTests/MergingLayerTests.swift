import SwiftKeras
import SwiftKerasCore
import SwiftKerasLayers
import TestSupport
import XCTest

final class MergingLayerTests: XCTestCase {
  func testElementwiseMergesMatchKeras() throws {
    try checkAgainstKeras("add", Add())
    try checkAgainstKeras("subtract", Subtract())
    try checkAgainstKeras("multiply", Multiply())
    try checkAgainstKeras("average", Average())
    try checkAgainstKeras("maximum", Maximum())
    try checkAgainstKeras("minimum", Minimum())
    try checkAgainstKeras("add_three", Add())
    try checkAgainstKeras("multiply_three", Multiply())
    try checkAgainstKeras("average_three", Average())
    try checkAgainstKeras("maximum_three", Maximum())
  }

  func testConcatenateAndDotMatchKeras() throws {
    try checkAgainstKeras("concatenate_axis_-1", Concatenate())
    try checkAgainstKeras("concatenate_axis_1", Concatenate(axis: 1))
    try checkAgainstKeras("dot_axes_1", Dot(axes: 1))
    try checkAgainstKeras("dot_axes_1_normalize", Dot(axes: 1, normalize: true))
  }

  func testMergeGradients() throws {
    let a = testInput([2, 3], seed: 1)
    let b = testInput([2, 3], seed: 2)
    let c = testInput([2, 3], seed: 3)
    for layer in [Add(), Multiply(), Average(), Maximum(), Minimum()] as [Layer] {
      try assertLayerGradientsMatchFiniteDifferences(layer, [a, b, c], epsilon: 1e-3)
    }
    try assertLayerGradientsMatchFiniteDifferences(Subtract(), [a, b])
    try assertLayerGradientsMatchFiniteDifferences(
      Concatenate(axis: 1), [testInput([2, 2, 3], seed: 4), testInput([2, 1, 3], seed: 5)])
    try assertLayerGradientsMatchFiniteDifferences(Dot(axes: 1), [a, b])
    try assertLayerGradientsMatchFiniteDifferences(
      Dot(axes: 1, normalize: true), [a, b], epsilon: 1e-3)
    try assertLayerGradientsMatchFiniteDifferences(
      Dot(axes: [2, 1]), [testInput([2, 4, 3], seed: 6), testInput([2, 3, 5], seed: 7)])
  }

  func testDotOfHigherRanksMatchesHandComputation() throws {
    // x [1, 2, 3], y [1, 3, 2], axes (2, 1): out[b, i, j] = Σ_k x[b, i, k] y[b, k, j].
    let x = Tensor([[[1, 2, 3], [4, 5, 6]]])
    let y = Tensor([[[1, 0], [0, 1], [1, 1]]])
    let layer = Dot(axes: [2, 1])
    let out = try layer([x, y])
    XCTAssertEqual(out.shape, [1, 2, 2])
    XCTAssertEqual(out.scalars, [4, 5, 10, 11])
    XCTAssertEqual(
      try layer.computeOutputShape(inputShapes: [[nil, 2, 3], [nil, 3, 2]]), [nil, 2, 2])
    // Rank 3 with rank 2: [1, 2, 3] · [1, 3] along (2, 1) gives [1, 2].
    let v = Tensor([[1, 1, 2]])
    let out2 = try Dot(axes: [2, 1])([x, v])
    XCTAssertEqual(out2.shape, [1, 2])
    XCTAssertEqual(out2.scalars, [9, 21])
  }

  func testBroadcastingMergesAsKeras() throws {
    let layer = Add()
    XCTAssertEqual(
      try layer.computeOutputShape(inputShapes: [[nil, 3, 4], [nil, 1, 4]]), [nil, 3, 4])
    let a = Tensor.ones([2, 3, 4])
    let b = Tensor.ones([2, 1, 4]) * 2
    let y = try Add()([a, b])
    XCTAssertEqual(y.shape, [2, 3, 4])
    XCTAssertTrue(y.scalars.allSatisfy { $0 == 3 })
  }

  func testIncompatibleShapesThrowNamingLayerAndShapes() {
    clearSession()
    let add = Add()
    XCTAssertThrowsError(try add([Tensor.zeros([2, 4]), Tensor.zeros([2, 5])])) { error in
      let message = "\(error)"
      XCTAssertTrue(message.contains("'add'"), message)
      XCTAssertTrue(message.contains("(None, 4)"), message)
      XCTAssertTrue(message.contains("(None, 5)"), message)
    }
    let a = Input(shape: [4])
    let b = Input(shape: [5])
    XCTAssertThrowsError(try Add()([a, b]))
    XCTAssertThrowsError(try Concatenate()([Input(shape: [2, 3]), Input(shape: [4, 3])])) {
      error in
      let message = "\(error)"
      XCTAssertTrue(message.contains("concatenate"), message)
      XCTAssertTrue(message.contains("(None, 2, 3)"), message)
      XCTAssertTrue(message.contains("(None, 4, 3)"), message)
    }
    XCTAssertThrowsError(try Subtract()([Tensor.zeros([2, 4])]))
    XCTAssertThrowsError(try Add().computeOutputShape(inputShapes: []))
    XCTAssertThrowsError(
      try Subtract()([Tensor.zeros([2, 4]), Tensor.zeros([2, 4]), Tensor.zeros([2, 4])]))
    XCTAssertThrowsError(try Dot(axes: 1)([Tensor.zeros([2, 4]), Tensor.zeros([2, 3])]))
    XCTAssertThrowsError(try Add()([Tensor.zeros([2, 4]), Tensor.zeros([3, 4])]))
  }

  func testSymbolicShapes() throws {
    let a = Input(shape: [2, 3])
    let b = Input(shape: [2, 5])
    let joined = try Concatenate()([a, b])
    XCTAssertEqual(joined.shape, [nil, 2, 8])
    let dotted = try Dot(axes: 1)([Input(shape: [4]), Input(shape: [4])])
    XCTAssertEqual(dotted.shape, [nil, 1])
  }
}
