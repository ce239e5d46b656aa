import CKernels
import Foundation

extension Tensor {
  /// Softmax (or log-softmax) along `axis` into a new buffer, viewing the tensor as
  /// `[outer, n, inner]`. The maximum is subtracted first so large values stay finite.
  /// Every inner loop runs on unit-stride pointers so it vectorises.
  func softmaxKernel(alongAxis axis: Int, log: Bool) -> TensorStorage {
    let n = shape[axis]
    let outer = Tensor.elementCount(Array(shape[0..<axis]))
    let inner = Tensor.elementCount(Array(shape[(axis + 1)...]))
    let result = TensorStorage(uninitializedCount: count)
    guard count > 0 else { return result }
    let src = storage.base
    let dst = result.base
    if inner == 1 {
      for o in 0..<outer {
        let s = src + o * n
        let d = dst + o * n
        var m = Tensor.reduceContiguous(s, n, initial: -.infinity) { Swift.max($0, $1) }
        if !m.isFinite { m = 0 }
        for k in 0..<n { d[k] = s[k] - m }
        sk_exp(d, d, n)
        let total = Tensor.reduceContiguous(d, n, initial: 0, +)
        if log {
          let shift = m + Foundation.log(total)
          for k in 0..<n { d[k] = s[k] - shift }
        } else {
          let inverse = 1 / total
          for k in 0..<n { d[k] *= inverse }
        }
      }
      return result
    }
    // Along a non-last axis: per-column maxima and totals, rows streamed in order.
    let maxima = UnsafeMutablePointer<Float>.allocate(capacity: inner)
    let totals = UnsafeMutablePointer<Float>.allocate(capacity: inner)
    defer {
      maxima.deallocate()
      totals.deallocate()
    }
    for o in 0..<outer {
      let s = src + o * n * inner
      let d = dst + o * n * inner
      maxima.update(repeating: -.infinity, count: inner)
      totals.update(repeating: 0, count: inner)
      for k in 0..<n {
        let row = s + k * inner
        for j in 0..<inner { maxima[j] = Swift.max(maxima[j], row[j]) }
      }
      for j in 0..<inner where !maxima[j].isFinite { maxima[j] = 0 }
      for k in 0..<n {
        let row = s + k * inner
        let out = d + k * inner
        for j in 0..<inner { out[j] = row[j] - maxima[j] }
        sk_exp(out, out, inner)
        for j in 0..<inner { totals[j] += out[j] }
      }
      if log {
        for j in 0..<inner { totals[j] = maxima[j] + Foundation.log(totals[j]) }
        for k in 0..<n {
          let row = s + k * inner
          let out = d + k * inner
          for j in 0..<inner { out[j] = row[j] - totals[j] }
        }
      } else {
        for j in 0..<inner { totals[j] = 1 / totals[j] }
        for k in 0..<n {
          let out = d + k * inner
          for j in 0..<inner { out[j] *= totals[j] }
        }
      }
    }
    return result
  }

  /// The softmax along `axis`, computed with the maximum subtracted first.
  public func softmax(alongAxis axis: Int = -1) -> Tensor {
    let a = normalizeAxis(axis, op: "softmax")
    let result = softmaxKernel(alongAxis: a, log: false)
    let y = Tensor(shape: shape, storage: result)
    var output = y.recorded(from: self) { g in
      let yd = y.detached
      let dot = (g * yd).sum(alongAxes: [a], keepDims: true)
      return yd * (g - dot)
    }
    if a == rank - 1 { output.softmaxOrigin = SoftmaxOrigin(logits: self, trace: output.trace) }
    return output
  }

  /// The log of the softmax along `axis`, without forming the softmax first.
  public func logSoftmax(alongAxis axis: Int = -1) -> Tensor {
    let a = normalizeAxis(axis, op: "logSoftmax")
    let result = softmaxKernel(alongAxis: a, log: true)
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
