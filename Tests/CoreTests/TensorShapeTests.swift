import SwiftKeras
import TestSupport
import XCTest

@testable import SwiftKerasCore

/// Reshape, transpose, slicing, gathering, concatenation, stacking and broadcasting.
final class TensorShapeTests: XCTestCase {
  func testReshapeInfersMinusOne() {
    let x = Tensor.range(24)
    XCTAssertEqual(x.reshaped(to: [2, -1, 4]).shape, [2, 3, 4])
    XCTAssertEqual(x.reshaped(to: [-1]).shape, [24])
    XCTAssertEqual(x.reshaped(to: [4, -1]).shape, [4, 6])
    XCTAssertEqual(x.reshaped(to: [2, 3, 4]).scalars, x.scalars)
    XCTAssertEqual(Tensor(5).reshaped(to: [1, 1]).shape, [1, 1])
    XCTAssertEqual(Tensor([5]).reshaped(to: []).shape, [])
    assertGradientsMatchFiniteDifferences([sampleTensor([2, 6], seed: 31)]) {
      $0[0].reshaped(to: [3, -1]) * Tensor([1, 2, 3, 4])
    }
  }

  func testExpandAndSqueeze() {
    let x = sampleTensor([2, 3], seed: 32)
    XCTAssertEqual(x.expandingShape(at: 0).shape, [1, 2, 3])
    XCTAssertEqual(x.expandingShape(at: 1).shape, [2, 1, 3])
    XCTAssertEqual(x.expandingShape(at: -1).shape, [2, 3, 1])
    let y = x.reshaped(to: [1, 2, 1, 3, 1])
    XCTAssertEqual(y.squeezingShape().shape, [2, 3])
    XCTAssertEqual(y.squeezingShape(at: [0, -1]).shape, [2, 1, 3])
    XCTAssertEqual(y.flattenedBatch().shape, [1, 6])
    XCTAssertEqual(sampleTensor([4, 2, 3], seed: 1).flattenedBatch().shape, [4, 6])
  }

  /// Checks a permutation against the definition out[i...] = in[i permuted back].
  func checkTranspose(_ shape: [Int], _ permutation: [Int], seed: UInt64) {
    let x = sampleTensor(shape, seed: seed)
    let y = x.transposed(permutation: permutation)
    let outShape = permutation.map { shape[$0] }
    XCTAssertEqual(y.shape, outShape)
    let (xs, ys) = (x.scalars, y.scalars)
    for flat in 0..<y.count {
      let outIndex = multiIndex(flat, in: outShape)
      var inIndex = [Int](repeating: 0, count: shape.count)
      for (i, p) in permutation.enumerated() { inIndex[p] = outIndex[i] }
      XCTAssertEqual(
        ys[flat], xs[flatPosition(inIndex, in: shape)], "\(shape) \(permutation) at \(outIndex)")
    }
    assertGradientsMatchFiniteDifferences([x]) { $0[0].transposed(permutation: permutation) }
  }

  func testTransposePermutations() {
    checkTranspose([3, 5], [1, 0], seed: 1)
    checkTranspose([40, 33], [1, 0], seed: 2)  // crosses the 32 block of the rank-2 kernel
    for (k, p) in [[0, 2, 1], [1, 0, 2], [2, 1, 0], [1, 2, 0], [2, 0, 1], [0, 1, 2]].enumerated() {
      checkTranspose([2, 3, 4], p, seed: UInt64(10 + k))
    }
    for (k, p) in [[3, 2, 1, 0], [0, 2, 1, 3], [1, 3, 0, 2], [2, 0, 3, 1]].enumerated() {
      checkTranspose([2, 3, 1, 4], p, seed: UInt64(20 + k))
    }
    let m = Tensor([[1, 2, 3], [4, 5, 6]])
    XCTAssertEqual(m.transposed().scalars, [1, 4, 2, 5, 3, 6])
    XCTAssertEqual(sampleTensor([2, 3, 4], seed: 3).transposed().shape, [2, 4, 3])
  }

  func testSliceAlongEveryAxis() {
    let shape = [3, 4, 5]
    let x = sampleTensor(shape, seed: 33)
    for axis in [0, 1, 2, -1, -2] {
      let a = axis < 0 ? axis + 3 : axis
      let range = 1..<3
      let y = x.slice(range, alongAxis: axis)
      var outShape = shape
      outShape[a] = 2
      XCTAssertEqual(y.shape, outShape)
      for flat in 0..<y.count {
        var index = multiIndex(flat, in: outShape)
        let value = y.scalars[flat]
        index[a] += range.lowerBound
        XCTAssertEqual(value, x.scalars[flatPosition(index, in: shape)])
      }
      assertGradientsMatchFiniteDifferences([x]) { $0[0].slice(range, alongAxis: axis) }
    }
    XCTAssertEqual(x.slice(2..<2, alongAxis: 1).shape, [3, 0, 5])
    XCTAssertEqual(x[rows: 1..<3].shape, [2, 4, 5])
    XCTAssertEqual(x[rows: 1..<3].scalars, Array(x.scalars[20..<60]))
    let row: Tensor = x[2]
    XCTAssertEqual(row.shape, [4, 5])
    XCTAssertEqual(row.scalars, Array(x.scalars[40..<60]))
  }

  func testGatherRowsWithRepeatsAccumulatesGradient() {
    let x = sampleTensor([4, 3], seed: 34)
    let indices = [2, 0, 2, 2, 3]
    let y = x.gathering(rows: indices)
    XCTAssertEqual(y.shape, [5, 3])
    for (i, row) in indices.enumerated() {
      XCTAssertEqual(
        Array(y.scalars[(i * 3)..<(i * 3 + 3)]), Array(x.scalars[(row * 3)..<(row * 3 + 3)]))
    }
    let tape = GradientTape()
    let wx = tape.watch(x)
    let out = tape.record { wx.gathering(rows: indices) }
    let grad = tape.gradient(of: out, wrt: wx)!
    XCTAssertEqual(grad.scalars, [1, 1, 1, 0, 0, 0, 3, 3, 3, 1, 1, 1])
    assertGradientsMatchFiniteDifferences([x]) { $0[0].gathering(rows: indices) }
    let rank3 = sampleTensor([3, 2, 2], seed: 35)
    XCTAssertEqual(rank3.gathering(rows: [1]).scalars, Array(rank3.scalars[4..<8]))
    XCTAssertEqual(rank3.gathering(rows: []).shape, [0, 2, 2])
  }

  func testConcatenateAlongAxes() {
    let a = sampleTensor([2, 3, 4], seed: 36)
    for axis in [0, 1, 2, -1] {
      let ax = axis < 0 ? axis + 3 : axis
      var shapeB = a.shape
      shapeB[ax] = 2
      let b = sampleTensor(shapeB, seed: 37)
      let c = Tensor.concatenate([a, b], alongAxis: axis)
      var outShape = a.shape
      outShape[ax] += 2
      XCTAssertEqual(c.shape, outShape)
      for flat in 0..<c.count {
        var index = multiIndex(flat, in: outShape)
        let expected: Float
        if index[ax] < a.shape[ax] {
          expected = a.scalars[flatPosition(index, in: a.shape)]
        } else {
          index[ax] -= a.shape[ax]
          expected = b.scalars[flatPosition(index, in: shapeB)]
        }
        XCTAssertEqual(c.scalars[flat], expected)
      }
      assertGradientsMatchFiniteDifferences([a, b]) { Tensor.concatenate($0, alongAxis: axis) }
    }
  }

  func testStackAlongAxes() {
    let a = Tensor([[1, 2], [3, 4]])
    let b = Tensor([[5, 6], [7, 8]])
    XCTAssertEqual(Tensor.stack([a, b]).shape, [2, 2, 2])
    XCTAssertEqual(Tensor.stack([a, b]).scalars, [1, 2, 3, 4, 5, 6, 7, 8])
    XCTAssertEqual(Tensor.stack([a, b], alongAxis: 1).scalars, [1, 2, 5, 6, 3, 4, 7, 8])
    XCTAssertEqual(Tensor.stack([a, b], alongAxis: -1).shape, [2, 2, 2])
    XCTAssertEqual(Tensor.stack([a, b], alongAxis: -1).scalars, [1, 5, 2, 6, 3, 7, 4, 8])
    XCTAssertEqual(Tensor.stack([a, b], alongAxis: 2).scalars, [1, 5, 2, 6, 3, 7, 4, 8])
    for axis in [0, 1, -1] {
      assertGradientsMatchFiniteDifferences([
        sampleTensor([2, 3], seed: 38), sampleTensor([2, 3], seed: 39),
      ]) {
        Tensor.stack($0, alongAxis: axis)
      }
    }
  }

  func testBroadcastToShape() {
    let x = Tensor(shape: [3, 1], scalars: [1, 2, 3])
    let y = x.broadcast(toShape: [2, 3, 4])
    XCTAssertEqual(y.shape, [2, 3, 4])
    XCTAssertEqual(y.scalars, referenceBinary(x, Tensor.zeros([2, 3, 4]), { a, _ in a }).scalars)
    assertGradientsMatchFiniteDifferences([x]) { $0[0].broadcast(toShape: [2, 3, 4]) }
    XCTAssertEqual(Tensor(7).broadcast(toShape: [2, 3]).scalars, [7, 7, 7, 7, 7, 7])
    XCTAssertEqual(Tensor([1, 2]).broadcast(toShape: [2, 2]).scalars, [1, 2, 1, 2])
    XCTAssertEqual(
      Tensor(shape: [2, 1, 2], scalars: [1, 2, 3, 4]).broadcast(toShape: [2, 2, 2]).scalars,
      [1, 2, 1, 2, 3, 4, 3, 4])
    assertGradientsMatchFiniteDifferences([sampleTensor([4], seed: 40)]) {
      $0[0].broadcast(toShape: [3, 4])
    }
    assertGradientsMatchFiniteDifferences([Tensor(2)]) { $0[0].broadcast(toShape: [2, 2]) }
  }

  func testSumToShapeUndoesEveryBroadcast() {
    let cases: [([Int], [Int])] = [
      ([5, 3], [3]), ([5, 3], [1, 3]), ([5, 3], [5, 1]), ([5, 3], []), ([5, 3], [1]),
      ([2, 3, 4], [3, 1]), ([2, 3, 4], [1, 1, 4]), ([2, 3, 4], [2, 1, 4]), ([2, 3, 4], [4]),
      ([2, 3, 4], [1, 3, 1]), ([2, 3, 4, 5], [3, 1, 5]), ([2, 3, 4, 5], [1, 1]),
    ]
    for (k, (big, small)) in cases.enumerated() {
      let g = sampleTensor(big, seed: UInt64(60 + k))
      let got = g.sumToShape(small)
      // Reference: every element of g lands on its broadcast source.
      var expected = [Double](repeating: 0, count: small.reduce(1, *))
      for flat in 0..<g.count {
        let index = multiIndex(flat, in: big)
        let offset = big.count - small.count
        let source = (0..<small.count).map { small[$0] == 1 ? 0 : index[$0 + offset] }
        expected[flatPosition(source, in: small)] += Double(g.scalars[flat])
      }
      assertClose(got, Tensor(shape: small, scalars: expected.map { Float($0) }), tolerance: 1e-5)
    }
  }

  func testArrayLiteralsAndNestedArrays() {
    let matrix: Tensor = [[1, 2, 3], [4, 5, 6]]
    XCTAssertEqual(matrix.shape, [2, 3])
    XCTAssertEqual(matrix.scalars, [1, 2, 3, 4, 5, 6])
    let cube: Tensor = [[[1, 2], [3, 4]], [[5, 6], [7, 8]]]
    XCTAssertEqual(cube.shape, [2, 2, 2])
    XCTAssertEqual(cube.scalars, [1, 2, 3, 4, 5, 6, 7, 8])
    let vector: Tensor = [1.5, 2.5]
    XCTAssertEqual(vector.shape, [2])
    let empty: Tensor = []
    XCTAssertEqual(empty.shape, [0])
    XCTAssertEqual(Tensor([[[1, 2, 3]], [[4, 5, 6]]] as [[[Float]]]).shape, [2, 1, 3])
  }
}
