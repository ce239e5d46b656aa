import Foundation
import SwiftKeras
import TestSupport
import XCTest

@testable import SwiftKerasCore

/// Element-wise arithmetic under broadcasting: every fast path of `broadcastingApply`, the
/// general odometer, and gradients against finite differences.
final class TensorArithmeticTests: XCTestCase {
  /// Shape pairs covering each pattern: same, scalar, tiled, spread and general.
  let shapePairs: [([Int], [Int])] = [
    ([4, 5], [4, 5]),  // same
    ([4, 5], []),  // scalar right
    ([], [4, 5]),  // scalar left
    ([4, 5], [1, 1]),  // one-element right
    ([32, 10], [10]),  // tiled right (bias)
    ([10], [32, 10]),  // tiled left
    ([2, 3, 4], [1, 4]),  // tiled with a leading one
    ([3, 4], [2, 3, 4]),  // tiled over a new leading axis
    ([3, 4], [3, 1]),  // spread right
    ([3, 1], [3, 4]),  // spread left
    ([2, 3, 4], [2, 3, 1]),  // spread over the last axis
    ([2, 3, 4], [2, 1, 1]),  // spread over two axes
    ([3, 1], [1, 4]),  // both sides broadcast
    ([2, 1, 3], [4, 1]),  // both sides, different ranks
    ([2, 3, 4], [3, 1]),  // middle axis
    ([1, 3, 1], [2, 1, 4]),  // both sides, rank 3
    ([2, 1, 3, 1], [5, 1, 2]),  // rank 4 general
  ]

  /// The kernel path each operand of a shape pair takes.
  func patternName(_ shape: [Int], in outShape: [Int]) -> String {
    switch Broadcasting.pattern(of: shape, in: outShape) {
    case .same: return "same"
    case .scalar: return "scalar"
    case .tiled(let period): return "tiled(\(period))"
    case .spread(let run): return "spread(\(run))"
    case .general: return "general"
    }
  }

  func testShapePairsCoverEveryKernelPath() {
    let expected: [(String, String)] = [
      ("same", "same"), ("same", "scalar"), ("scalar", "same"), ("same", "scalar"),
      ("same", "tiled(10)"), ("tiled(10)", "same"), ("same", "tiled(4)"), ("tiled(12)", "same"),
      ("same", "spread(4)"), ("spread(4)", "same"), ("same", "spread(4)"), ("same", "spread(12)"),
      ("spread(4)", "tiled(4)"), ("general", "general"), ("same", "general"),
      ("general", "general"), ("general", "general"),
    ]
    XCTAssertEqual(expected.count, shapePairs.count)
    for ((sa, sb), (ea, eb)) in zip(shapePairs, expected) {
      let out = referenceBroadcastShape(sa, sb)
      XCTAssertEqual(patternName(sa, in: out), ea, "\(sa) in \(out)")
      XCTAssertEqual(patternName(sb, in: out), eb, "\(sb) in \(out)")
    }
    XCTAssertEqual(Broadcasting.shape([3, 1], [1, 4]), [3, 4])
    XCTAssertEqual(Broadcasting.shape([2, 1, 3], [4, 1]), [2, 4, 3])
    XCTAssertEqual(Broadcasting.shape([0, 1], [1, 5]), [0, 5])
    XCTAssertNil(Broadcasting.shape([2, 3], [3, 2]))
    XCTAssertNil(Broadcasting.shape([0], [2]))
  }

  func testBinaryOperatorsMatchReferenceOnEveryPattern() {
    for (k, (sa, sb)) in shapePairs.enumerated() {
      let a = sampleTensor(sa, seed: UInt64(10 + k))
      let b = sampleTensor(sb, seed: UInt64(50 + k), low: 0.5, high: 2)
      assertClose(a + b, referenceBinary(a, b, +))
      assertClose(a - b, referenceBinary(a, b, -))
      assertClose(a * b, referenceBinary(a, b, *))
      assertClose(a / b, referenceBinary(a, b, /))
      assertClose(b / a, referenceBinary(b, a, /), tolerance: 1e-4)
    }
  }

  func testBinaryGradientsOnEveryPattern() {
    for (k, (sa, sb)) in shapePairs.enumerated() {
      let a = sampleTensor(sa, seed: UInt64(10 + k))
      let b = sampleTensor(sb, seed: UInt64(50 + k), low: 0.5, high: 2)
      assertGradientsMatchFiniteDifferences([a, b]) { $0[0] + $0[1] }
      assertGradientsMatchFiniteDifferences([a, b]) { $0[0] - $0[1] }
      assertGradientsMatchFiniteDifferences([a, b]) { $0[0] * $0[1] }
      assertGradientsMatchFiniteDifferences([a, b], epsilon: 1e-3) { $0[0] / $0[1] }
    }
  }

  func testBiasGradientIsTheColumnSum() {
    let x = sampleTensor([32, 10], seed: 1)
    let bias = sampleTensor([10], seed: 2)
    let upstream = sampleTensor([32, 10], seed: 3)
    let tape = GradientTape()
    let (wx, wb) = (tape.watch(x), tape.watch(bias))
    let y = tape.record { wx + wb }
    let grads = tape.gradient(of: y, wrt: [wx, wb], outputGradient: upstream)
    assertClose(grads[0]!, upstream)
    let columns = (0..<10).map { j in (0..<32).reduce(Float(0)) { $0 + upstream[$1, j] } }
    assertClose(grads[1]!, Tensor(columns), tolerance: 1e-5)
  }

  func testOperatorsKeepExactNumpyValues() {
    let a = Tensor([[1, 2, 3], [4, 5, 6]])
    let b = Tensor([10, 20, 30])
    XCTAssertEqual((a + b).scalars, [11, 22, 33, 14, 25, 36])
    XCTAssertEqual((a - b).scalars, [-9, -18, -27, -6, -15, -24])
    XCTAssertEqual((a * b).scalars, [10, 40, 90, 40, 100, 180])
    XCTAssertEqual((b / a).scalars, [10, 10, 10, 2.5, 4, 5])
    let column = Tensor(shape: [2, 1], scalars: [1, -1])
    XCTAssertEqual((a * column).scalars, [1, 2, 3, -4, -5, -6])
    XCTAssertEqual((a * column).shape, [2, 3])
  }

  func testScalarOperators() {
    let a = Tensor([1, 2, 4])
    XCTAssertEqual((a + 1).scalars, [2, 3, 5])
    XCTAssertEqual((1 + a).scalars, [2, 3, 5])
    XCTAssertEqual((a - 1).scalars, [0, 1, 3])
    XCTAssertEqual((1 - a).scalars, [0, -1, -3])
    XCTAssertEqual((a * 3).scalars, [3, 6, 12])
    XCTAssertEqual((3 * a).scalars, [3, 6, 12])
    XCTAssertEqual((a / 4).scalars, [0.25, 0.5, 1])
    XCTAssertEqual((4 / a).scalars, [4, 2, 1])
    XCTAssertEqual((-a).scalars, [-1, -2, -4])
    // Division by a scalar rounds like numpy's true division.
    let thirds = Tensor([1, 2, 10]) / 3
    XCTAssertEqual(thirds.scalars, [Float(1) / 3, Float(2) / 3, Float(10) / 3])
    var c = a
    c += 1
    c -= Tensor([1, 1, 1])
    c *= 2
    c /= Tensor(2)
    XCTAssertEqual(c.scalars, [1, 2, 4])
    var d = a
    d += Tensor([1, 1, 1])
    d -= 1
    d *= Tensor([2, 2, 2])
    d /= 2
    XCTAssertEqual(d.scalars, [1, 2, 4])
  }

  func testScalarOperatorGradients() {
    let a = sampleTensor([3, 4], seed: 4, low: 0.5, high: 2)
    assertGradientsMatchFiniteDifferences([a]) { $0[0] + 2 }
    assertGradientsMatchFiniteDifferences([a]) { 2 + $0[0] }
    assertGradientsMatchFiniteDifferences([a]) { $0[0] - 2 }
    assertGradientsMatchFiniteDifferences([a]) { 2 - $0[0] }
    assertGradientsMatchFiniteDifferences([a]) { $0[0] * 3 }
    assertGradientsMatchFiniteDifferences([a]) { 3 * $0[0] }
    assertGradientsMatchFiniteDifferences([a]) { $0[0] / 3 }
    assertGradientsMatchFiniteDifferences([a], epsilon: 1e-3) { 3 / $0[0] }
    assertGradientsMatchFiniteDifferences([a]) { -$0[0] }
  }

  func testUnaryFunctionsMatchFoundation() {
    let x = sampleTensor([3, 5], seed: 5, low: 0.1, high: 3)
    assertClose(exp(x), referenceUnary(x) { Foundation.exp($0) })
    assertClose(log(x), referenceUnary(x) { Foundation.log($0) })
    assertClose(sqrt(x), referenceUnary(x) { Foundation.sqrt($0) })
    assertClose(square(x), referenceUnary(x) { $0 * $0 })
    assertClose(pow(x, 2.5), referenceUnary(x) { Foundation.pow($0, 2.5) })
    let y = sampleTensor([5], seed: 6, low: -2, high: 2)
    assertClose(pow(x, y), referenceBinary(x, y) { Foundation.pow($0, $1) }, tolerance: 1e-4)
    let z = Tensor([-2, -0.5, 0, 0.5, 3])
    XCTAssertEqual(abs(z).scalars, [2, 0.5, 0, 0.5, 3])
    XCTAssertEqual(sign(z).scalars, [-1, -1, 0, 1, 1])
    XCTAssertEqual(clip(z, -1, 1).scalars, [-1, -0.5, 0, 0.5, 1])
    XCTAssertEqual(maximum(z, Tensor([0])).scalars, [0, 0, 0, 0.5, 3])
    XCTAssertEqual(minimum(z, 0).scalars, [-2, -0.5, 0, 0, 0])
    XCTAssertEqual(maximum(z, 1).scalars, [1, 1, 1, 1, 3])
  }

  func testExpIsAccurateOverTheWholeFloatRange() {
    // Every 0.001 from -110 to 90, against Double-precision exp rounded to Float.
    let inputs = (0...200_000).map { Float(-110 + Double($0) * 0.001) }
    let got = exp(Tensor(inputs)).scalars
    var worst: Double = 0
    for (x, y) in zip(inputs, got) {
      let exact = Foundation.exp(Double(x))
      if exact > Double(Float.greatestFiniteMagnitude) {
        XCTAssertEqual(y, .infinity, "exp(\(x))")
      } else if exact < Double(Float.leastNormalMagnitude) {
        // Subnormal results: absolute error within a couple of subnormal steps.
        XCTAssertLessThanOrEqual(Swift.abs(Double(y) - exact), 3e-45, "exp(\(x))")
      } else {
        worst = Swift.max(worst, Swift.abs(Double(y) - exact) / exact)
      }
    }
    XCTAssertLessThan(worst, 2e-7, "worst relative error (about 1 ulp)")
    let special = exp(Tensor([0, -.infinity, .infinity, .nan, -1000, 1000])).scalars
    XCTAssertEqual(special[0], 1)
    XCTAssertEqual(special[1], 0)
    XCTAssertEqual(special[2], .infinity)
    XCTAssertTrue(special[3].isNaN)
    XCTAssertEqual(special[4], 0)
    XCTAssertEqual(special[5], .infinity)
  }

  func testUnaryGradients() {
    let x = sampleTensor([3, 4], seed: 7, low: 0.5, high: 2)
    let signed = Tensor([[-1.5, -0.7, 0.4, 1.3], [2.2, -2.1, 0.9, -0.3]])
    assertGradientsMatchFiniteDifferences([x], epsilon: 1e-3) { exp($0[0]) }
    assertGradientsMatchFiniteDifferences([x], epsilon: 1e-3) { log($0[0]) }
    assertGradientsMatchFiniteDifferences([x], epsilon: 1e-3) { sqrt($0[0]) }
    assertGradientsMatchFiniteDifferences([signed]) { square($0[0]) }
    assertGradientsMatchFiniteDifferences([x], epsilon: 1e-3) { pow($0[0], 3) }
    assertGradientsMatchFiniteDifferences([x], epsilon: 1e-3) { pow($0[0], -0.5) }
    assertGradientsMatchFiniteDifferences([signed]) { abs($0[0]) }
    assertGradientsMatchFiniteDifferences([signed]) { clip($0[0], -1, 1) }
  }

  func testPowOfTwoTensorsGradient() {
    let x = sampleTensor([2, 3], seed: 8, low: 0.5, high: 2)
    let y = sampleTensor([3], seed: 9, low: -1, high: 2)
    assertGradientsMatchFiniteDifferences([x, y], epsilon: 1e-3) { pow($0[0], $0[1]) }
  }

  func testMaximumMinimumGradients() {
    let x = Tensor([[-1.5, -0.7, 0.4], [1.3, 2.2, -2.1]])
    let y = Tensor([[0.1, 0.2, -0.3]])
    assertGradientsMatchFiniteDifferences([x, y]) { maximum($0[0], $0[1]) }
    assertGradientsMatchFiniteDifferences([x, y]) { minimum($0[0], $0[1]) }
    assertGradientsMatchFiniteDifferences([x]) { maximum($0[0], 0.5) }
    assertGradientsMatchFiniteDifferences([x]) { minimum($0[0], 0.5) }
  }

  func testMaximumTieSendsGradientToFirstArgument() {
    let tape = GradientTape()
    let x = tape.watch(Tensor([1, 2]))
    let y = tape.watch(Tensor([1, 3]))
    let z = tape.record { maximum(x, y) }
    let grads = tape.gradient(of: z, wrt: [x, y])
    XCTAssertEqual(grads[0]?.scalars, [1, 0])
    XCTAssertEqual(grads[1]?.scalars, [0, 1])
  }

  func testComparisons() {
    let a = Tensor([[1, 2, 3], [3, 2, 1]])
    let b = Tensor([2, 2, 2])
    XCTAssertEqual((a .> b).scalars, [0, 0, 1, 1, 0, 0])
    XCTAssertEqual((a .< b).scalars, [1, 0, 0, 0, 0, 1])
    XCTAssertEqual((a .>= b).scalars, [0, 1, 1, 1, 1, 0])
    XCTAssertEqual((a .<= b).scalars, [1, 1, 0, 0, 1, 1])
    XCTAssertEqual((a .== b).scalars, [0, 1, 0, 0, 1, 0])
    XCTAssertEqual((a .!= b).scalars, [1, 0, 1, 1, 0, 1])
    XCTAssertEqual((a .> 2).scalars, [0, 0, 1, 1, 0, 0])
    XCTAssertEqual((a .< 2).scalars, [1, 0, 0, 0, 0, 1])
    XCTAssertEqual((a .>= 2).scalars, [0, 1, 1, 1, 1, 0])
    XCTAssertEqual((a .<= 2).scalars, [1, 1, 0, 0, 1, 1])
    XCTAssertEqual((a .== 2).scalars, [0, 1, 0, 0, 1, 0])
    XCTAssertEqual((a .!= 2).scalars, [1, 0, 1, 1, 0, 1])
    let column = Tensor(shape: [2, 1], scalars: [2, 0])
    XCTAssertEqual((Tensor([1, 2, 3]) .> column).shape, [2, 3])
    XCTAssertEqual((Tensor([1, 2, 3]) .> column).scalars, [0, 0, 1, 1, 1, 1])
  }

  func testWhereSelectsWithBroadcasting() {
    let condition = Tensor(shape: [2, 1], scalars: [1, 0])
    let x = Tensor([1, 2, 3])
    let y = Tensor(shape: [2, 3], scalars: [10, 20, 30, 40, 50, 60])
    let z = `where`(condition, x, y)
    XCTAssertEqual(z.shape, [2, 3])
    XCTAssertEqual(z.scalars, [1, 2, 3, 40, 50, 60])
    // Infinite or NaN values in the branch not taken do not leak.
    let w = `where`(Tensor([1, 0]), Tensor([5, .infinity]), Tensor([.nan, 7]))
    XCTAssertEqual(w.scalars, [5, 7])
    // A scalar condition.
    XCTAssertEqual(`where`(Tensor(0), x, Tensor(9)).scalars, [9, 9, 9])
  }

  func testWhereGradient() {
    let condition = Tensor([[1, 0, 1], [0, 0, 1]])
    let x = sampleTensor([3], seed: 11)
    let y = sampleTensor([2, 1], seed: 12)
    assertGradientsMatchFiniteDifferences([x, y]) { `where`(condition, $0[0], $0[1]) }
    // The gradient of x is summed over the broadcast rows where the condition holds.
    let tape = GradientTape()
    let (wx, wy) = (tape.watch(x), tape.watch(y))
    let z = tape.record { `where`(condition, wx, wy) }
    let grads = tape.gradient(of: z, wrt: [wx, wy])
    XCTAssertEqual(grads[0]?.scalars, [1, 0, 2])
    XCTAssertEqual(grads[1]?.shape, [2, 1])
    XCTAssertEqual(grads[1]?.scalars, [1, 2])
  }

  func testWhereWithConditionOfHigherRankThanBranches() {
    let condition = Tensor([[[1, 0], [0, 1]]])
    let z = `where`(condition, Tensor(1), Tensor([5, 6]))
    XCTAssertEqual(z.shape, [1, 2, 2])
    XCTAssertEqual(z.scalars, [1, 6, 5, 1])
    let tape = GradientTape()
    let x = tape.watch(Tensor(2))
    let y = tape.watch(Tensor([5, 6]))
    let out = tape.record { `where`(condition, x, y) }
    let grads = tape.gradient(of: out, wrt: [x, y])
    XCTAssertEqual(grads[0]?.shape, [])
    XCTAssertEqual(grads[0]?.scalar, 2)
    XCTAssertEqual(grads[1]?.scalars, [1, 1])
  }
}
