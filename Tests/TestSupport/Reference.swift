import Foundation
import SwiftKerasCore
import XCTest

// Plain-loop reference implementations the Core tests compare against. They go through
// multi-indices one element at a time, sharing no code with the kernels under test.

/// Deterministic sample data of the given shape, uniform in `[low, high)`.
public func sampleTensor(_ shape: [Int], seed: UInt64, low: Float = -1, high: Float = 1) -> Tensor {
  var generator = RandomGenerator(seed: seed)
  var values: [Float] = []
  let count = shape.reduce(1, *)
  for _ in 0..<count { values.append(low + (high - low) * generator.nextUniform()) }
  return Tensor(shape: shape, scalars: values)
}

/// The multi-index of row-major position `flat` in `shape`.
public func multiIndex(_ flat: Int, in shape: [Int]) -> [Int] {
  var index = [Int](repeating: 0, count: shape.count)
  var rest = flat
  for axis in stride(from: shape.count - 1, through: 0, by: -1) {
    index[axis] = rest % shape[axis]
    rest /= shape[axis]
  }
  return index
}

/// The row-major position of `index` in `shape`.
public func flatPosition(_ index: [Int], in shape: [Int]) -> Int {
  var offset = 0
  for (axis, i) in index.enumerated() { offset = offset * shape[axis] + i }
  return offset
}

/// The numpy broadcast of two shapes, written out rule by rule.
public func referenceBroadcastShape(_ a: [Int], _ b: [Int]) -> [Int] {
  let rank = max(a.count, b.count)
  let pa = [Int](repeating: 1, count: rank - a.count) + a
  let pb = [Int](repeating: 1, count: rank - b.count) + b
  return (0..<rank).map { pa[$0] == 1 ? pb[$0] : pa[$0] }
}

/// Element `outIndex` of a broadcast operand of shape `shape`.
public func broadcastElement(_ t: [Float], shape: [Int], outIndex: [Int]) -> Float {
  let offset = outIndex.count - shape.count
  let index = (0..<shape.count).map { shape[$0] == 1 ? 0 : outIndex[$0 + offset] }
  return t[flatPosition(index, in: shape)]
}

/// `f` applied under numpy broadcasting, one output element at a time.
public func referenceBinary(_ a: Tensor, _ b: Tensor, _ f: (Float, Float) -> Float) -> Tensor {
  let outShape = referenceBroadcastShape(a.shape, b.shape)
  let count = outShape.reduce(1, *)
  let (sa, sb) = (a.scalars, b.scalars)
  var out: [Float] = []
  for flat in 0..<count {
    let index = multiIndex(flat, in: outShape)
    out.append(
      f(
        broadcastElement(sa, shape: a.shape, outIndex: index),
        broadcastElement(sb, shape: b.shape, outIndex: index)))
  }
  return Tensor(shape: outShape, scalars: out)
}

/// `f` applied to each element.
public func referenceUnary(_ a: Tensor, _ f: (Float) -> Float) -> Tensor {
  Tensor(shape: a.shape, scalars: a.scalars.map(f))
}

/// A reduction of `axes` with `combine`, one output element at a time, in Double.
public func referenceReduce(
  _ a: Tensor, axes: [Int], keepDims: Bool, initial: Double, _ combine: (Double, Double) -> Double
) -> Tensor {
  let rank = a.rank
  let ax = Set(axes.map { $0 < 0 ? $0 + rank : $0 })
  let kept = a.shape.enumerated().map { ax.contains($0.offset) ? 1 : $0.element }
  var out = [Double](repeating: initial, count: kept.reduce(1, *))
  let values = a.scalars
  for flat in 0..<a.count {
    var index = multiIndex(flat, in: a.shape)
    for axis in ax { index[axis] = 0 }
    let o = flatPosition(index, in: kept)
    out[o] = combine(out[o], Double(values[flat]))
  }
  let outShape =
    keepDims ? kept : a.shape.enumerated().filter { !ax.contains($0.offset) }.map(\.element)
  return Tensor(shape: outShape, scalars: out.map { Float($0) })
}

/// The matrix product of rank-2 arrays by the textbook triple loop.
public func referenceMatmul(_ a: [[Float]], _ b: [[Float]]) -> [[Float]] {
  let (m, k, n) = (a.count, b.count, b.first?.count ?? 0)
  return (0..<m).map { i in
    (0..<n).map { j in
      var total: Double = 0
      for p in 0..<k { total += Double(a[i][p]) * Double(b[p][j]) }
      return Float(total)
    }
  }
}

/// The rows of a rank-2 tensor as nested arrays.
public func rows(_ t: Tensor) -> [[Float]] {
  let (r, c) = (t.shape[0], t.shape[1])
  let s = t.scalars
  return (0..<r).map { i in Array(s[(i * c)..<((i + 1) * c)]) }
}

/// The transpose of nested rows.
public func transposedRows(_ a: [[Float]]) -> [[Float]] {
  guard let columns = a.first?.count else { return [] }
  return (0..<columns).map { j in a.map { $0[j] } }
}
