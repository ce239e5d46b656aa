import CKernels

// Forward passes of the exp-based activations on the vector exp kernel: a pass to form
// exp's argument, the kernel, and a pass to finish, block by block so the three passes
// find their data in cache. Glibc's scalar expf in a per-element loop costs 3–5 ns per
// element; these run at a few tenths of that.

extension Tensor {
  /// A new tensor of this shape, filled by `fill(source, target, count)` over blocks of
  /// at most 4,096 elements (spread over the cores for large tensors).
  @inline(__always)
  private func filledByBlocks(
    _ fill: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void
  ) -> Tensor {
    let source = UnsafePointer(storage.base)
    return Tensor(shape: shape) { out in
      guard let base = out.baseAddress else { return }
      ParallelChunks.forEach(count: out.count, minimumPerChunk: 1 << 16) { range in
        var start = range.lowerBound
        while start < range.upperBound {
          let count = Swift.min(4096, range.upperBound - start)
          fill(source + start, base + start, count)
          start += count
        }
      }
    }
  }

  /// `1 / (1 + exp(-x))`: `exp` overflowing to infinity gives exactly 0.
  func sigmoidForward() -> Tensor {
    filledByBlocks { x, o, count in
      for i in 0..<count { o[i] = -x[i] }
      sk_exp(o, o, count)
      for i in 0..<count { o[i] = 1 / (1 + o[i]) }
    }
  }

  /// `x / (1 + exp(-x))`, that is `x · sigmoid(x)`.
  func siluForward() -> Tensor {
    filledByBlocks { x, o, count in
      for i in 0..<count { o[i] = -x[i] }
      sk_exp(o, o, count)
      for i in 0..<count { o[i] = x[i] / (1 + o[i]) }
    }
  }

  /// `tanh(x)` from `exp(-2|x|)`, with a degree-7 series for `|x| < 0.1` where the direct
  /// formula would cancel (as ``hyperbolicTangent(_:)``).
  func tanhForward() -> Tensor {
    filledByBlocks { x, o, count in
      for i in 0..<count { o[i] = -2 * Swift.abs(x[i]) }
      sk_exp(o, o, count)
      for i in 0..<count {
        let a = Swift.abs(x[i])
        let e = o[i]
        let direct = (1 - e) / (1 + e)
        let a2 = a * a
        let series = a * (1 + a2 * (-1.0 / 3 + a2 * (2.0 / 15 + a2 * (-17.0 / 315))))
        o[i] = Float(signOf: x[i], magnitudeOf: a < 0.1 ? series : direct)
      }
    }
  }
}
