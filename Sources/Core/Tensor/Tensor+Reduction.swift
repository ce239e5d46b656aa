import Foundation

// Reductions along axes, with numpy's keepDims. Axes may be negative; an empty axis list
// reduces over every axis.

extension Tensor {
  /// The shape left after reducing `axes`, with ones kept in place.
  func keptShape(reducing axes: [Int]) -> [Int] {
    var kept = shape
    for a in axes { kept[a] = 1 }
    return kept
  }

  func normalizedAxes(_ axes: [Int]?, op: String) -> [Int] {
    guard let axes, !axes.isEmpty else { return Array(0..<rank) }
    let normalized = axes.map { normalizeAxis($0, op: op) }
    precondition(Set(normalized).count == normalized.count, "\(op): repeated axis in \(axes)")
    return normalized.sorted()
  }

  /// Reduces one axis with `combine`, keeping it as extent 1.
  @inline(__always)
  func reducingAxis(_ axis: Int, initial: Float, _ combine: (Float, Float) -> Float) -> Tensor {
    let n = shape[axis]
    let outer = Tensor.elementCount(Array(shape[0..<axis]))
    let inner = Tensor.elementCount(Array(shape[(axis + 1)...]))
    var outShape = shape
    outShape[axis] = 1
    let result = TensorStorage(repeating: initial, count: outer * inner)
    let src = storage.base
    let dst = result.base
    for o in 0..<outer {
      let d = dst + o * inner
      let s = src + o * n * inner
      if inner == 1 {
        d[0] = Tensor.reduceContiguous(s, n, initial: initial, combine)
      } else {
        for k in 0..<n {
          let row = s + k * inner
          for j in 0..<inner { d[j] = combine(d[j], row[j]) }
        }
      }
    }
    return Tensor(shape: outShape, storage: result)
  }

  /// Combines `n` consecutive values with four independent accumulators, so the loop is
  /// not one long dependency chain (`combine` must be associative).
  @inline(__always)
  static func reduceContiguous(
    _ s: UnsafePointer<Float>, _ n: Int, initial: Float, _ combine: (Float, Float) -> Float
  ) -> Float {
    var (a0, a1, a2, a3) = (initial, initial, initial, initial)
    var k = 0
    while k + 4 <= n {
      a0 = combine(a0, s[k])
      a1 = combine(a1, s[k + 1])
      a2 = combine(a2, s[k + 2])
      a3 = combine(a3, s[k + 3])
      k += 4
    }
    while k < n {
      a0 = combine(a0, s[k])
      k += 1
    }
    return combine(combine(a0, a1), combine(a2, a3))
  }

  /// Reduces several axes, keeping them as extents of 1.
  @inline(__always)
  func reducingKept(_ axes: [Int], initial: Float, _ combine: (Float, Float) -> Float) -> Tensor {
    var result = self.detached
    // Reducing an axis of extent 1 with an identity `initial` changes nothing, so those
    // axes are skipped; the result may then share the input's buffer, which
    // copy-on-write keeps safe.
    for a in axes where result.shape[a] != 1 {
      result = result.reducingAxis(a, initial: initial, combine)
    }
    return result
  }

  /// The sum along `axes` (every axis when empty).
  public func sum(alongAxes axes: [Int] = [], keepDims: Bool = false) -> Tensor {
    let ax = normalizedAxes(axes, op: "sum")
    let kept = keptShape(reducing: ax)
    var reduced: Tensor
    if ax.count == rank {
      var total: Double = 0
      let p = storage.base
      // Double accumulation keeps large sums accurate; blocks keep it vectorised.
      var i = 0
      while i < count {
        let end = Swift.min(i + 4096, count)
        total += Double(Tensor.reduceContiguous(p + i, end - i, initial: 0, +))
        i = end
      }
      reduced = Tensor(repeating: Float(total), shape: kept)
    } else {
      reduced = reducingKept(ax, initial: 0, +)
    }
    let outShape =
      keepDims ? kept : shape.enumerated().filter { !ax.contains($0.offset) }.map { $0.element }
    reduced = Tensor(shape: outShape, storage: reduced.storage)
    let inShape = shape
    return reduced.recorded(from: self) { g in
      g.reshaped(to: kept).broadcast(toShape: inShape)
    }
  }

  /// The sum along one axis.
  public func sum(alongAxis axis: Int, keepDims: Bool = false) -> Tensor {
    sum(alongAxes: [axis], keepDims: keepDims)
  }

  /// The mean along `axes` (every axis when empty).
  public func mean(alongAxes axes: [Int] = [], keepDims: Bool = false) -> Tensor {
    let ax = normalizedAxes(axes, op: "mean")
    let n = ax.reduce(1) { $0 * shape[$1] }
    // An empty reduction divides 0 by 0 and gives nan, as numpy.
    let scale: Float = n == 0 ? .nan : Float(1 / Double(n))
    return sum(alongAxes: ax, keepDims: keepDims) * scale
  }

  /// The mean along one axis.
  public func mean(alongAxis axis: Int, keepDims: Bool = false) -> Tensor {
    mean(alongAxes: [axis], keepDims: keepDims)
  }

  /// The population variance along `axes` (every axis when empty), as `np.var`.
  public func variance(alongAxes axes: [Int] = [], keepDims: Bool = false) -> Tensor {
    let ax = normalizedAxes(axes, op: "variance")
    let centered = self - mean(alongAxes: ax, keepDims: true)
    return square(centered).mean(alongAxes: ax, keepDims: keepDims)
  }

  /// The population variance along one axis.
  public func variance(alongAxis axis: Int, keepDims: Bool = false) -> Tensor {
    variance(alongAxes: [axis], keepDims: keepDims)
  }

  /// The maximum along `axes`. The gradient is shared equally among tied maxima.
  public func max(alongAxes axes: [Int] = [], keepDims: Bool = false) -> Tensor {
    extremum(axes, keepDims: keepDims, initial: -.infinity, op: "max") { Swift.max($0, $1) }
  }

  /// The minimum along `axes`. The gradient is shared equally among tied minima.
  public func min(alongAxes axes: [Int] = [], keepDims: Bool = false) -> Tensor {
    extremum(axes, keepDims: keepDims, initial: .infinity, op: "min") { Swift.min($0, $1) }
  }

  /// The maximum along one axis.
  public func max(alongAxis axis: Int, keepDims: Bool = false) -> Tensor {
    max(alongAxes: [axis], keepDims: keepDims)
  }

  /// The minimum along one axis.
  public func min(alongAxis axis: Int, keepDims: Bool = false) -> Tensor {
    min(alongAxes: [axis], keepDims: keepDims)
  }

  private func extremum(
    _ axes: [Int], keepDims: Bool, initial: Float, op: String, _ combine: (Float, Float) -> Float
  ) -> Tensor {
    let ax = normalizedAxes(axes, op: op)
    precondition(
      ax.allSatisfy { shape[$0] > 0 },
      "\(op): cannot reduce an empty axis of shape \(shape) (no identity), as numpy")
    let kept = keptShape(reducing: ax)
    let keptResult = reducingKept(ax, initial: initial, combine)
    let outShape =
      keepDims ? kept : shape.enumerated().filter { !ax.contains($0.offset) }.map { $0.element }
    let input = self.detached
    return Tensor(shape: outShape, storage: keptResult.storage).recorded(from: self) { g in
      let mask = input .== keptResult
      let ties = mask.sum(alongAxes: ax, keepDims: true)
      return mask * (g.reshaped(to: kept) / ties)
    }
  }

  /// The index of the largest element along `axis` (first one on ties), as floats.
  public func argmax(alongAxis axis: Int = -1) -> Tensor {
    argExtremum(axis) { $0 > $1 }
  }

  /// The index of the smallest element along `axis` (first one on ties), as floats.
  public func argmin(alongAxis axis: Int = -1) -> Tensor {
    argExtremum(axis) { $0 < $1 }
  }

  private func argExtremum(_ axis: Int, _ better: (Float, Float) -> Bool) -> Tensor {
    let a = normalizeAxis(axis, op: "argmax")
    let n = shape[a]
    precondition(n > 0, "argmax: axis \(a) of shape \(shape) is empty")
    let outer = Tensor.elementCount(Array(shape[0..<a]))
    let inner = Tensor.elementCount(Array(shape[(a + 1)...]))
    var outShape = shape
    outShape.remove(at: a)
    let src = storage.base
    return Tensor(shape: outShape) { out in
      for o in 0..<outer {
        for j in 0..<inner {
          let base = src + o * n * inner + j
          var best = 0
          var bestValue = base[0]
          for k in 1..<n where better(base[k * inner], bestValue) {
            best = k
            bestValue = base[k * inner]
          }
          out[o * inner + j] = Float(best)
        }
      }
    }
  }

  /// log(sum(exp(x))) along `axes`, computed without overflow.
  public func logSumExp(alongAxes axes: [Int] = [], keepDims: Bool = false) -> Tensor {
    let ax = normalizedAxes(axes, op: "logSumExp")
    let shift = reducingKept(ax, initial: -.infinity) { Swift.max($0, $1) }
      .mapped { $0.isFinite ? $0 : 0 }
    let result = log(exp(self - shift).sum(alongAxes: ax, keepDims: true)) + shift
    if keepDims { return result }
    return result.reshaped(
      to: shape.enumerated().filter { !ax.contains($0.offset) }.map { $0.element })
  }
}
