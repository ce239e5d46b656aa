import Foundation
import SwiftKeras
import TestSupport
import XCTest

@testable import SwiftKerasCore

/// Reductions along axes with and without keepDims, their gradients, and argmax.
final class TensorReductionTests: XCTestCase {
  let axisSets: [[Int]] = [
    [], [0], [1], [2], [-1], [0, 1], [0, 2], [1, 2], [0, 1, 2], [-1, 0],
  ]

  func testSumMeanMaxMinMatchReference() {
    let x = sampleTensor([3, 4, 5], seed: 21)
    for axes in axisSets {
      let all = axes.isEmpty ? [0, 1, 2] : axes
      let n = Double(all.reduce(1) { $0 * x.shape[$1 < 0 ? $1 + 3 : $1] })
      for keepDims in [false, true] {
        assertClose(
          x.sum(alongAxes: axes, keepDims: keepDims),
          referenceReduce(x, axes: all, keepDims: keepDims, initial: 0, +))
        let mean = referenceReduce(x, axes: all, keepDims: keepDims, initial: 0, +)
        assertClose(
          x.mean(alongAxes: axes, keepDims: keepDims),
          referenceUnary(mean) { Float(Double($0) / n) })
        assertClose(
          x.max(alongAxes: axes, keepDims: keepDims),
          referenceReduce(x, axes: all, keepDims: keepDims, initial: -.infinity, Swift.max))
        assertClose(
          x.min(alongAxes: axes, keepDims: keepDims),
          referenceReduce(x, axes: all, keepDims: keepDims, initial: .infinity, Swift.min))
      }
    }
  }

  func testReductionsOverAxesOfExtentOne() {
    let x = sampleTensor([1, 4, 1], seed: 22)
    XCTAssertEqual(x.sum(alongAxes: [0, 2]).shape, [4])
    assertClose(x.sum(alongAxes: [0, 2]), x.reshaped(to: [4]))
    XCTAssertEqual(x.sum(alongAxes: [0, 2], keepDims: true).shape, [1, 4, 1])
    assertClose(x.max(alongAxes: [0, 2]), x.reshaped(to: [4]))
    assertClose(x.sum(alongAxes: [0, 1]), Tensor([x.scalars.reduce(0, +)]))
    XCTAssertEqual(x.sum(alongAxes: [0, 1]).shape, [1])
    let y = sampleTensor([2, 1, 3], seed: 23)
    for axes in [[1], [0, 1], [1, 2], [0, 1, 2]] {
      assertClose(
        y.sum(alongAxes: axes, keepDims: true),
        referenceReduce(y, axes: axes, keepDims: true, initial: 0, +))
      assertClose(
        y.min(alongAxes: axes),
        referenceReduce(y, axes: axes, keepDims: false, initial: .infinity, Swift.min))
    }
    // Reducing a result must never write into the input's buffer.
    var z = y.sum(alongAxes: [1], keepDims: true)
    z.withUnsafeMutableBufferPointer { $0[0] = 100 }
    XCTAssertNotEqual(y.scalars[0], 100)
  }

  func testSingleAxisOverloads() {
    let x = Tensor([[1, 5, 3], [4, 2, 6]])
    XCTAssertEqual(x.sum(alongAxis: 0).scalars, [5, 7, 9])
    XCTAssertEqual(x.sum(alongAxis: 1, keepDims: true).shape, [2, 1])
    XCTAssertEqual(x.mean(alongAxis: 1).scalars, [3, 4])
    XCTAssertEqual(x.max(alongAxis: 0).scalars, [4, 5, 6])
    XCTAssertEqual(x.min(alongAxis: -1).scalars, [1, 2])
    XCTAssertEqual(x.sum().shape, [])
    XCTAssertEqual(x.sum().scalar, 21)
    XCTAssertEqual(x.mean().scalar, 3.5)
  }

  func testVarianceMatchesNumpy() {
    // np.var([[1, 5, 3], [4, 2, 6]], axis=0) = [2.25, 2.25, 2.25]; axis=1 = [8/3, 8/3].
    let x = Tensor([[1, 5, 3], [4, 2, 6]])
    assertClose(x.variance(alongAxes: [0]), Tensor([2.25, 2.25, 2.25]))
    assertClose(
      x.variance(alongAxes: [1], keepDims: true),
      Tensor(shape: [2, 1], scalars: [8.0 / 3, 8.0 / 3]))
    // Population variance of 1...6 is 35/12.
    assertClose(x.variance(), Tensor(Float(35.0 / 12)))
    let y = sampleTensor([3, 4, 2], seed: 24)
    let mean = referenceReduce(y, axes: [0, 2], keepDims: true, initial: 0, +).scalars.map {
      $0 / 6
    }
    var expected = [Double](repeating: 0, count: 4)
    for flat in 0..<y.count {
      let index = multiIndex(flat, in: y.shape)
      let d = Double(y.scalars[flat]) - Double(mean[index[1]])
      expected[index[1]] += d * d / 6
    }
    assertClose(y.variance(alongAxes: [0, 2]), Tensor(expected.map { Float($0) }))
  }

  func testReductionGradients() {
    let x = sampleTensor([3, 4, 2], seed: 25)
    for axes in [[], [0], [1], [-1], [0, 2], [0, 1, 2]] {
      for keepDims in [false, true] {
        assertGradientsMatchFiniteDifferences([x]) {
          $0[0].sum(alongAxes: axes, keepDims: keepDims)
        }
        assertGradientsMatchFiniteDifferences([x]) {
          $0[0].mean(alongAxes: axes, keepDims: keepDims)
        }
        assertGradientsMatchFiniteDifferences([x], epsilon: 1e-3) {
          $0[0].variance(alongAxes: axes, keepDims: keepDims)
        }
        assertGradientsMatchFiniteDifferences([x], epsilon: 1e-3) {
          $0[0].max(alongAxes: axes, keepDims: keepDims)
        }
        assertGradientsMatchFiniteDifferences([x], epsilon: 1e-3) {
          $0[0].min(alongAxes: axes, keepDims: keepDims)
        }
        assertGradientsMatchFiniteDifferences([x], epsilon: 1e-3) {
          $0[0].logSumExp(alongAxes: axes, keepDims: keepDims)
        }
      }
    }
  }

  func testMaxAndMinShareTheGradientAmongTies() {
    let tape = GradientTape()
    let x = tape.watch(Tensor([[3, 1, 3], [2, 2, 2]]))
    let (m, n) = tape.record { (x.max(alongAxis: 1), x.min(alongAxes: [])) }
    XCTAssertEqual(m.scalars, [3, 2])
    XCTAssertEqual(n.scalar, 1)
    let persistent = GradientTape(persistent: true)
    let y = persistent.watch(Tensor([[3, 1, 3], [2, 2, 2]]))
    let (ym, yn) = persistent.record { (y.max(alongAxis: 1), y.min(alongAxes: [])) }
    assertClose(
      persistent.gradient(of: ym, wrt: y)!, Tensor([[0.5, 0, 0.5], [1.0 / 3, 1.0 / 3, 1.0 / 3]]))
    XCTAssertEqual(persistent.gradient(of: yn, wrt: y)?.scalars, [0, 1, 0, 0, 0, 0])
    _ = (m, n)
  }

  func testArgmaxArgmin() {
    let x = Tensor([[1, 7, 7], [9, 2, 3]])
    XCTAssertEqual(x.argmax().scalars, [1, 0])
    XCTAssertEqual(x.argmax(alongAxis: 0).scalars, [1, 0, 0])
    XCTAssertEqual(x.argmin(alongAxis: 1).scalars, [0, 1])
    XCTAssertEqual(x.argmin(alongAxis: 0).scalars, [0, 1, 1])
    let y = sampleTensor([3, 4, 5], seed: 26)
    let arg = y.argmax(alongAxis: 1)
    XCTAssertEqual(arg.shape, [3, 5])
    for i in 0..<3 {
      for j in 0..<5 {
        var best = 0
        for k in 1..<4 where y[i, k, j] > y[i, best, j] { best = k }
        XCTAssertEqual(arg[i, j], Float(best))
      }
    }
  }

  func testLogSumExpMatchesDirectFormulaAndStaysFinite() {
    let x = sampleTensor([3, 4], seed: 27, low: -3, high: 3)
    let direct = referenceReduce(
      referenceUnary(x) { Foundation.exp($0) }, axes: [1], keepDims: false, initial: 0, +)
    assertClose(x.logSumExp(alongAxes: [1]), referenceUnary(direct) { Foundation.log($0) })
    XCTAssertEqual(x.logSumExp(alongAxes: [0], keepDims: true).shape, [1, 4])
    let big = Tensor([[1000, 1000], [-1000, -1000]])
    // log(2 e^1000) = 1000 + log 2.
    assertClose(big.logSumExp(alongAxes: [1]), Tensor([1000 + Float(M_LN2), -1000 + Float(M_LN2)]))
    assertClose(Tensor([1000, 0]).logSumExp(), Tensor(Float(1000)))
    XCTAssertEqual(Tensor([-Float.infinity, -Float.infinity]).logSumExp().scalar, -.infinity)
  }
}
