import SwiftKeras
import SwiftKerasCore
import SwiftKerasLayers
import TestSupport
import XCTest

final class ReshapingLayerTests: XCTestCase {
  func testReshapingLayersMatchKeras() throws {
    try checkAgainstKeras("flatten", Flatten())
    try checkAgainstKeras("reshape", Reshape([3, 2]))
    try checkAgainstKeras("reshape_infer", Reshape([-1, 2]))
    try checkAgainstKeras("permute", Permute([2, 1]))
    try checkAgainstKeras("permute_rank4", Permute([3, 1, 2]))
    try checkAgainstKeras("repeat_vector", RepeatVector(3))
    try checkAgainstKeras("identity", IdentityLayer())
  }

  func testIdentityLayerNaming() {
    clearSession()
    let layer = IdentityLayer()
    XCTAssertEqual(layer.name, "identity")
    XCTAssertEqual(layer.className, "Identity")
  }

  func testShapesWithoutData() throws {
    XCTAssertEqual(try Flatten().computeOutputShape(inputShapes: [[nil, 4, nil]]), [nil, nil])
    XCTAssertEqual(try Flatten().computeOutputShape(inputShapes: [[nil]]), [nil, 1])
    XCTAssertEqual(
      try Reshape([-1, 2]).computeOutputShape(inputShapes: [[nil, nil]]), [nil, nil, 2])
    XCTAssertEqual(
      try Permute([2, 1]).computeOutputShape(inputShapes: [[nil, 2, nil]]), [nil, nil, 2])
  }

  func testFlattenChannelsFirstMovesChannelsLast() throws {
    let x = Tensor([[[1, 2], [3, 4], [5, 6]]])  // [1, channels 3, 2]
    let y = try Flatten(dataFormat: "channels_first")(x)
    XCTAssertEqual(y.scalars, [1, 3, 5, 2, 4, 6])
  }

  func testReshapingGradients() throws {
    try assertLayerGradientsMatchFiniteDifferences(Flatten(), [testInput([2, 3, 2], seed: 1)])
    try assertLayerGradientsMatchFiniteDifferences(Reshape([-1, 3]), [testInput([2, 6], seed: 2)])
    try assertLayerGradientsMatchFiniteDifferences(
      Permute([3, 1, 2]), [testInput([2, 2, 3, 2], seed: 3)])
    try assertLayerGradientsMatchFiniteDifferences(RepeatVector(3), [testInput([2, 4], seed: 4)])
    try assertLayerGradientsMatchFiniteDifferences(IdentityLayer(), [testInput([2, 4], seed: 5)])
  }

  func testImpossibleReshapeThrows() {
    XCTAssertThrowsError(try Reshape([4, 2])(Tensor.zeros([3, 6]))) { error in
      let message = "\(error)"
      XCTAssertTrue(message.contains("reshape"), message)
      XCTAssertTrue(message.contains("[4, 2]"), message)
    }
    XCTAssertThrowsError(try Reshape([-1, 4])(Tensor.zeros([3, 6])))
    XCTAssertThrowsError(try Reshape([-1, -1])(Tensor.zeros([3, 6])))
    XCTAssertThrowsError(try Permute([1, 3])(Tensor.zeros([3, 2, 2])))
    XCTAssertThrowsError(try Permute([1])(Tensor.zeros([3, 2, 2])))
    XCTAssertThrowsError(try RepeatVector(2)(Tensor.zeros([3, 2, 2])))
  }

  func testLambdaAppliesItsClosure() throws {
    let layer = Lambda { $0 * 2 + 1 }
    let x = testInput([2, 3], seed: 6)
    let y = try layer(x)
    for (a, b) in zip(y.scalars, x.scalars) { XCTAssertEqual(a, 2 * b + 1, accuracy: 1e-6) }
    XCTAssertEqual(try layer.computeOutputShape(inputShapes: [[nil, 3]]), [nil, 3])
    let fixed = Lambda({ $0.sum(alongAxis: 1, keepDims: true) }, outputShape: [1])
    XCTAssertEqual(try fixed.computeOutputShape(inputShapes: [[nil, 5]]), [nil, 1])
    let computed = Lambda({ $0 }, outputShapeFunction: { $0 + [1] })
    XCTAssertEqual(try computed.computeOutputShape(inputShapes: [[nil, 5]]), [nil, 5, 1])
    try assertLayerGradientsMatchFiniteDifferences(Lambda { square($0) }, [x])
  }
}
