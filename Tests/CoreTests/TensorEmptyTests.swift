import SwiftKeras
import TestSupport
import XCTest

@testable import SwiftKerasCore

/// Ops on tensors with a zero extent return empty results, as numpy does, instead of
/// trapping.
final class TensorEmptyTests: XCTestCase {
  func testElementwiseAndBroadcasting() {
    let e = Tensor.zeros([0, 3])
    XCTAssertEqual((e + Tensor([1, 2, 3])).shape, [0, 3])
    XCTAssertEqual((Tensor([1, 2, 3]) * e).shape, [0, 3])
    XCTAssertEqual((e + 1).shape, [0, 3])
    XCTAssertEqual((Tensor.zeros([2, 0]) + Tensor.zeros([2, 1])).shape, [2, 0])
    XCTAssertEqual((Tensor.zeros([2, 1, 0]) + Tensor.zeros([3, 1])).shape, [2, 3, 0])
    XCTAssertEqual(exp(e).shape, [0, 3])
    XCTAssertEqual(`where`(e, e, Tensor(1)).shape, [0, 3])
    XCTAssertEqual(maximum(e, 0).shape, [0, 3])
    XCTAssertEqual((e .> 0).shape, [0, 3])
  }

  func testReductions() {
    let e = Tensor.zeros([0, 3])
    XCTAssertEqual(e.sum().scalar, 0)
    XCTAssertEqual(e.sum(alongAxis: 0).scalars, [0, 0, 0])
    XCTAssertEqual(e.sum(alongAxis: 1).shape, [0])
    XCTAssertEqual(e.max(alongAxis: 1).shape, [0])
    XCTAssertEqual(e.min(alongAxis: 1, keepDims: true).shape, [0, 1])
    XCTAssertEqual(e.argmax(alongAxis: 1).shape, [0])
    XCTAssertEqual(e.mean(alongAxis: 1).shape, [0])
    // np.mean of an empty axis is nan.
    XCTAssertTrue(e.mean(alongAxis: 0).scalars.allSatisfy { $0.isNaN })
    XCTAssertEqual(e.variance(alongAxis: 1).shape, [0])
    XCTAssertEqual(e.logSumExp(alongAxes: [1]).shape, [0])
    XCTAssertEqual(e.logSumExp(alongAxes: [0]).scalars, [-.infinity, -.infinity, -.infinity])
  }

  func testShapeOpsAndProducts() {
    let e = Tensor.zeros([0, 3])
    XCTAssertEqual(e.reshaped(to: [-1, 3]).shape, [0, 3])
    XCTAssertEqual(e.transposed().shape, [3, 0])
    XCTAssertEqual(Tensor.zeros([2, 0, 3]).transposed(permutation: [2, 0, 1]).shape, [3, 2, 0])
    XCTAssertEqual(e.slice(0..<0).shape, [0, 3])
    XCTAssertEqual(Tensor.concatenate([e, Tensor.ones([2, 3])]).scalars, [1, 1, 1, 1, 1, 1])
    XCTAssertEqual(Tensor.stack([e, e]).shape, [2, 0, 3])
    XCTAssertEqual(e.softmax().shape, [0, 3])
    XCTAssertEqual(e.logSoftmax(alongAxis: 0).shape, [0, 3])
    XCTAssertEqual(Tensor.zeros([3, 0]).softmax().shape, [3, 0])
    XCTAssertEqual(matmul(e, Tensor.ones([3, 4])).shape, [0, 4])
    XCTAssertEqual(Tensor.zeros([3, 0]).gathering(rows: [2, 0]).shape, [2, 0])
    XCTAssertEqual(Tensor.zeros([0, 5]).gathering(rows: []).shape, [0, 5])
    XCTAssertEqual(e.broadcast(toShape: [2, 0, 3]).shape, [2, 0, 3])
    XCTAssertEqual(e.description, "[]")
    XCTAssertEqual(Tensor.zeros([2, 0]).description, "[]")
    XCTAssertEqual(e.flattenedBatch().shape, [0, 3])
    XCTAssertEqual(Tensor.zeros([0, 2, 2]).flattenedBatch().shape, [0, 4])
    XCTAssertEqual(e.scalars, [])
  }

  func testGradientsThroughEmptyTensors() {
    let tape = GradientTape()
    let x = tape.watch(Tensor.zeros([0, 3]))
    let b = tape.watch(Tensor([1, 2, 3]))
    let y = tape.record { matmul(x + b, Tensor.ones([3, 2])).sum() + b.sum() }
    let grads = tape.gradient(of: y, wrt: [x, b])
    XCTAssertEqual(grads[0]?.shape, [0, 3])
    XCTAssertEqual(grads[1]?.scalars, [1, 1, 1])
  }
}
