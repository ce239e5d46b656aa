import Foundation
import SwiftKeras
import TestSupport
import XCTest

@testable import SwiftKerasCore

/// Softmax and log-softmax along either end axis, including values that overflow `exp`.
final class TensorSoftmaxTests: XCTestCase {
  /// Softmax along `axis` by the textbook formula, in Double.
  func referenceSoftmax(_ x: Tensor, axis: Int) -> Tensor {
    let a = axis < 0 ? axis + x.rank : axis
    let maxima = referenceReduce(x, axes: [a], keepDims: true, initial: -.infinity, Swift.max)
    let shifted = referenceBinary(x, maxima) { Float(Foundation.exp(Double($0 - $1))) }
    let totals = referenceReduce(shifted, axes: [a], keepDims: true, initial: 0, +)
    return referenceBinary(shifted, totals, /)
  }

  func testSoftmaxMatchesReferenceAlongEachAxis() {
    let x = sampleTensor([3, 4, 5], seed: 71, low: -3, high: 3)
    for axis in [0, 1, 2, -1] {
      assertClose(x.softmax(alongAxis: axis), referenceSoftmax(x, axis: axis), tolerance: 1e-5)
      assertClose(softmax(x, alongAxis: axis), referenceSoftmax(x, axis: axis), tolerance: 1e-5)
      assertClose(
        x.logSoftmax(alongAxis: axis),
        referenceUnary(referenceSoftmax(x, axis: axis)) { Foundation.log($0) },
        tolerance: 1e-5)
      assertClose(logSoftmax(x, alongAxis: axis), x.logSoftmax(alongAxis: axis))
    }
    // softmax([1, 2, 3]) = e^k / (e + e^2 + e^3).
    let total = Foundation.exp(1.0) + Foundation.exp(2.0) + Foundation.exp(3.0)
    assertClose(
      Tensor([1, 2, 3]).softmax(),
      Tensor([
        Float(Foundation.exp(1.0) / total), Float(Foundation.exp(2.0) / total),
        Float(Foundation.exp(3.0) / total),
      ]))
  }

  func testLargeValuesStayFinite() {
    let x = Tensor([[1000, 1000, 999], [-1000, 0, 1000]])
    for axis in [0, -1] {
      let s = x.softmax(alongAxis: axis)
      let l = x.logSoftmax(alongAxis: axis)
      XCTAssertTrue(s.scalars.allSatisfy { $0.isFinite }, "\(s)")
      XCTAssertTrue(l.scalars.allSatisfy { $0.isFinite }, "\(l)")
    }
    let e = Double(Foundation.exp(-1.0))
    assertClose(
      x.softmax(alongAxis: -1).slice(0..<1, alongAxis: 0),
      Tensor([[Float(1 / (2 + e)), Float(1 / (2 + e)), Float(e / (2 + e))]]))
    assertClose(
      x.logSoftmax(alongAxis: -1)[0],
      Tensor([
        Float(-Foundation.log(2 + e)), Float(-Foundation.log(2 + e)),
        Float(-1 - Foundation.log(2 + e)),
      ]))
    // Column 0: softmax of [1000, -1000] along axis 0 is [1, 0]; log is [0, -2000].
    assertClose(
      x.softmax(alongAxis: 0).slice(0..<1, alongAxis: 1), Tensor(shape: [2, 1], scalars: [1, 0]))
    assertClose(
      x.logSoftmax(alongAxis: 0).slice(0..<1, alongAxis: 1),
      Tensor(shape: [2, 1], scalars: [0, -2000]))
    // All -inf lanes do not produce NaN in log-softmax's shift.
    XCTAssertFalse(Tensor([-1000, -1000]).softmax().scalars.contains { $0.isNaN })
  }

  func testSoftmaxGradients() {
    let x = sampleTensor([3, 4], seed: 72, low: -2, high: 2)
    for axis in [0, -1] {
      assertGradientsMatchFiniteDifferences([x], epsilon: 1e-3) { $0[0].softmax(alongAxis: axis) }
      assertGradientsMatchFiniteDifferences([x], epsilon: 1e-3) {
        $0[0].logSoftmax(alongAxis: axis)
      }
    }
    let cube = sampleTensor([2, 3, 2], seed: 73, low: -2, high: 2)
    assertGradientsMatchFiniteDifferences([cube], epsilon: 1e-3) { $0[0].softmax(alongAxis: 1) }
    assertGradientsMatchFiniteDifferences([cube], epsilon: 1e-3) { $0[0].logSoftmax(alongAxis: 1) }
  }

  func testLargeValueGradientsStayFinite() {
    let tape = GradientTape()
    let x = tape.watch(Tensor([[1000, 999, -1000]]))
    let y = tape.record { (x.logSoftmax() * Tensor([1, 2, 3])).sum() + x.logSumExp() }
    let g = tape.gradient(of: y, wrt: x)!
    XCTAssertTrue(g.scalars.allSatisfy { $0.isFinite }, "\(g)")
  }
}
