import Foundation

extension Tensor {
  /// Applies `body(row, out, n)` to each run along `axis` (views as [outer, n, inner]).
  @inline(__always)
  func forEachLane(
    alongAxis axis: Int, into result: TensorStorage,
    _ body: (
      _ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, _ n: Int, _ stride: Int
    ) -> Void
  ) {
    let n = shape[axis]
    let outer = Tensor.elementCount(Array(shape[0..<axis]))
    let inner = Tensor.elementCount(Array(shape[(axis + 1)...]))
    for o in 0..<outer {
      for j in 0..<inner {
        let offset = o * n * inner + j
        body(storage.base + offset, result.base + offset, n, inner)
      }
    }
  }

  /// The softmax along `axis`, computed with the maximum subtracted first.
  public func softmax(alongAxis axis: Int = -1) -> Tensor {
    let a = normalizeAxis(axis, op: "softmax")
    let result = TensorStorage(uninitializedCount: count)
    forEachLane(alongAxis: a, into: result) { src, dst, n, stride in
      var m = -Float.infinity
      for k in 0..<n { m = Swift.max(m, src[k * stride]) }
      if !m.isFinite { m = 0 }
      var total: Float = 0
      for k in 0..<n {
        let e = Foundation.exp(src[k * stride] - m)
        dst[k * stride] = e
        total += e
      }
      let inverse = 1 / total
      for k in 0..<n { dst[k * stride] *= inverse }
    }
    let y = Tensor(shape: shape, storage: result)
    return y.recorded(from: self) { g in
      let yd = y.detached
      let dot = (g * yd).sum(alongAxes: [a], keepDims: true)
      return yd * (g - dot)
    }
  }

  /// The log of the softmax along `axis`, without forming the softmax first.
  public func logSoftmax(alongAxis axis: Int = -1) -> Tensor {
    let a = normalizeAxis(axis, op: "logSoftmax")
    let result = TensorStorage(uninitializedCount: count)
    forEachLane(alongAxis: a, into: result) { src, dst, n, stride in
      var m = -Float.infinity
      for k in 0..<n { m = Swift.max(m, src[k * stride]) }
      if !m.isFinite { m = 0 }
      var total: Float = 0
      for k in 0..<n { total += Foundation.exp(src[k * stride] - m) }
      let shift = m + Foundation.log(total)
      for k in 0..<n { dst[k * stride] = src[k * stride] - shift }
    }
    let y = Tensor(shape: shape, storage: result)
    return y.recorded(from: self) { g in
      let probabilities = exp(y.detached)
      return g - probabilities * g.sum(alongAxes: [a], keepDims: true)
    }
  }
}

/// The softmax of `x` along `axis`.
public func softmax(_ x: Tensor, alongAxis axis: Int = -1) -> Tensor { x.softmax(alongAxis: axis) }

/// The log-softmax of `x` along `axis`.
public func logSoftmax(_ x: Tensor, alongAxis axis: Int = -1) -> Tensor {
  x.logSoftmax(alongAxis: axis)
}
