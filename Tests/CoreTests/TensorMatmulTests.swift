import SwiftKeras
import TestSupport
import XCTest

@testable import SwiftKerasCore

/// Matrix products on cblas_sgemm: transpose flags, batching and gradients.
final class TensorMatmulTests: XCTestCase {
  func testHandComputedProduct() {
    let a = Tensor([[1, 2], [3, 4], [5, 6]])
    let b = Tensor([[1, 0, -1], [2, 1, 0]])
    // [[1+4, 2, -1], [3+8, 4, -3], [5+12, 6, -5]]
    XCTAssertEqual(matmul(a, b).scalars, [5, 2, -1, 11, 4, -3, 17, 6, -5])
    XCTAssertEqual(matmul(a, b).shape, [3, 3])
  }

  func testEveryTransposeCombination() {
    let (m, k, n) = (3, 4, 5)
    let a = sampleTensor([m, k], seed: 41)
    let b = sampleTensor([k, n], seed: 42)
    let expected = Tensor(referenceMatmul(rows(a), rows(b)))
    let at = Tensor(transposedRows(rows(a)))
    let bt = Tensor(transposedRows(rows(b)))
    for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
      let lhs = ta ? at : a
      let rhs = tb ? bt : b
      assertClose(matmul(lhs, rhs, transposeA: ta, transposeB: tb), expected, tolerance: 1e-5)
      assertGradientsMatchFiniteDifferences([lhs, rhs]) {
        matmul($0[0], $0[1], transposeA: ta, transposeB: tb)
      }
    }
  }

  /// The reference batched product, one matrix at a time.
  func batchedReference(_ a: Tensor, _ b: Tensor, batch: Int, ta: Bool, tb: Bool) -> [Float] {
    var out: [Float] = []
    for i in 0..<batch {
      var lhs = rows(a.rank == 2 ? a : a.reshaped(to: [batch] + a.shape.suffix(2))[i])
      var rhs = rows(b.rank == 2 ? b : b.reshaped(to: [batch] + b.shape.suffix(2))[i])
      if ta { lhs = transposedRows(lhs) }
      if tb { rhs = transposedRows(rhs) }
      out += referenceMatmul(lhs, rhs).flatMap { $0 }
    }
    return out
  }

  func testBatchedProducts() {
    let (m, k, n) = (3, 4, 2)
    for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
      let aShape = ta ? [k, m] : [m, k]
      let bShape = tb ? [n, k] : [k, n]
      let cases: [([Int], [Int])] = [
        ([2, 3] + aShape, [2, 3] + bShape),  // equal batch axes
        ([2, 3] + aShape, bShape),  // shared rank-2 rhs
        (aShape, [4] + bShape),  // shared rank-2 lhs
      ]
      for (c, (sa, sb)) in cases.enumerated() {
        let a = sampleTensor(sa, seed: UInt64(43 + c))
        let b = sampleTensor(sb, seed: UInt64(53 + c))
        let batchShape = sa.count > 2 ? Array(sa.dropLast(2)) : Array(sb.dropLast(2))
        let batch = batchShape.reduce(1, *)
        let y = matmul(a, b, transposeA: ta, transposeB: tb)
        XCTAssertEqual(y.shape, batchShape + [m, n], "case \(c) ta \(ta) tb \(tb)")
        assertClose(
          y,
          Tensor(
            shape: batchShape + [m, n],
            scalars: batchedReference(a, b, batch: batch, ta: ta, tb: tb)),
          tolerance: 1e-5)
        assertGradientsMatchFiniteDifferences([a, b]) {
          matmul($0[0], $0[1], transposeA: ta, transposeB: tb)
        }
      }
    }
  }

  func testEmptyInnerExtentGivesZeros() {
    let a = Tensor.zeros([2, 0])
    let b = Tensor.zeros([0, 3])
    XCTAssertEqual(matmul(a, b).scalars, [0, 0, 0, 0, 0, 0])
    XCTAssertEqual(matmul(Tensor.zeros([0, 4]), Tensor.ones([4, 3])).shape, [0, 3])
    XCTAssertEqual(matmul(Tensor.zeros([2, 0, 4]), Tensor.ones([4, 3])).shape, [2, 0, 3])
  }
}
