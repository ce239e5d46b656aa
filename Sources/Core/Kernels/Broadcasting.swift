/// Numpy-style broadcasting of shapes and the loops that apply binary functions under it.
package enum Broadcasting {
  /// The broadcast shape of `a` and `b`, or nil when they are incompatible.
  package static func shape(_ a: [Int], _ b: [Int]) -> [Int]? {
    let rank = Swift.max(a.count, b.count)
    var result = [Int](repeating: 1, count: rank)
    for i in 0..<rank {
      let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
      let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
      if da == db || db == 1 {
        result[i] = da
      } else if da == 1 {
        result[i] = db
      } else {
        return nil
      }
    }
    return result
  }

  /// The broadcast shape, stopping with a message naming both shapes when they do not fit.
  static func checkedShape(_ a: [Int], _ b: [Int], op: String) -> [Int] {
    guard let result = shape(a, b) else {
      preconditionFailure("\(op): shapes \(a) and \(b) cannot be broadcast together")
    }
    return result
  }

  /// Element strides of `shape` aligned to `outShape`, 0 along broadcast axes.
  static func strides(of shape: [Int], in outShape: [Int]) -> [Int] {
    let offset = outShape.count - shape.count
    var strides = [Int](repeating: 0, count: outShape.count)
    var step = 1
    for i in stride(from: shape.count - 1, through: 0, by: -1) {
      strides[i + offset] = shape[i] == 1 ? 0 : step
      step *= shape[i]
    }
    return strides
  }

  /// How `operand` (of `shape`) repeats inside `outShape`, when the pattern is one of the
  /// fast ones: the whole output, a trailing block tiled over rows, or one value per row
  /// spread over a trailing block.
  enum Pattern {
    case same
    case scalar
    /// The operand is the trailing `period` elements, tiled.
    case tiled(period: Int)
    /// Each operand element covers `run` consecutive output elements.
    case spread(run: Int)
    case general
  }

  static func pattern(of shape: [Int], in outShape: [Int]) -> Pattern {
    let count = Tensor.elementCount(shape)
    let outCount = Tensor.elementCount(outShape)
    if count == outCount { return .same }
    if count == 1 { return .scalar }
    // Drop leading ones so `[1, 10]` matches like `[10]`.
    var trimmed = ArraySlice(shape)
    while trimmed.first == 1 { trimmed = trimmed.dropFirst() }
    if trimmed.count <= outShape.count,
      Array(outShape.suffix(trimmed.count)) == Array(trimmed)
    {
      return .tiled(period: count)
    }
    // One value per leading index: shape is outShape's prefix followed by ones.
    let offset = outShape.count - shape.count
    if offset == 0 {
      var split = shape.count
      while split > 0 && shape[split - 1] == 1 { split -= 1 }
      if Array(shape[0..<split]) == Array(outShape[0..<split]) {
        return .spread(run: outCount / count)
      }
    }
    return .general
  }

  /// Applies `body(out, a, b, n)` over runs of contiguous output, passing the operand
  /// pointers positioned for each run and whether each operand advances within it.
  @inline(__always)
  static func forEachRun(
    outShape: [Int], aShape: [Int], bShape: [Int],
    _ body: (_ outOffset: Int, _ aOffset: Int, _ aStep: Int, _ bOffset: Int, _ bStep: Int, _ n: Int)
      -> Void
  ) {
    let rank = outShape.count
    if rank == 0 {
      body(0, 0, 0, 0, 0, 1)
      return
    }
    let sa = strides(of: aShape, in: outShape)
    let sb = strides(of: bShape, in: outShape)
    let inner = outShape[rank - 1]
    let outer = Tensor.elementCount(outShape) / Swift.max(inner, 1)
    guard inner > 0 else { return }
    var index = [Int](repeating: 0, count: rank)
    var aOffset = 0
    var bOffset = 0
    for row in 0..<outer {
      body(row * inner, aOffset, sa[rank - 1], bOffset, sb[rank - 1], inner)
      // Odometer over the leading axes.
      var axis = rank - 2
      while axis >= 0 {
        index[axis] += 1
        aOffset += sa[axis]
        bOffset += sb[axis]
        if index[axis] < outShape[axis] { break }
        aOffset -= sa[axis] * outShape[axis]
        bOffset -= sb[axis] * outShape[axis]
        index[axis] = 0
        axis -= 1
      }
    }
  }
}

extension Tensor {
  /// Applies a binary scalar function elementwise under numpy broadcasting.
  @inline(__always)
  package static func broadcastingApply(
    _ a: Tensor, _ b: Tensor, op: String, _ f: (Float, Float) -> Float
  ) -> Tensor {
    let outShape =
      a.shape == b.shape ? a.shape : Broadcasting.checkedShape(a.shape, b.shape, op: op)
    let count = Tensor.elementCount(outShape)
    let result = TensorStorage(uninitializedCount: count)
    let o = result.base
    let pa = a.storage.base
    let pb = b.storage.base
    switch (
      Broadcasting.pattern(of: a.shape, in: outShape),
      Broadcasting.pattern(of: b.shape, in: outShape)
    ) {
    case (.same, .same):
      for i in 0..<count { o[i] = f(pa[i], pb[i]) }
    case (.same, .scalar):
      let s = pb[0]
      for i in 0..<count { o[i] = f(pa[i], s) }
    case (.scalar, .same):
      let s = pa[0]
      for i in 0..<count { o[i] = f(s, pb[i]) }
    case (.same, .tiled(let period)):
      var start = 0
      while start < count {
        applyRun(o + start, pa + start, 1, pb, 1, period, f)
        start += period
      }
    case (.tiled(let period), .same):
      var start = 0
      while start < count {
        applyRun(o + start, pa, 1, pb + start, 1, period, f)
        start += period
      }
    case (.same, .spread(let run)):
      for r in 0..<(count / Swift.max(run, 1)) {
        let base = r * run
        applyRun(o + base, pa + base, 1, pb + r, 0, run, f)
      }
    case (.spread(let run), .same):
      for r in 0..<(count / Swift.max(run, 1)) {
        let base = r * run
        applyRun(o + base, pa + r, 0, pb + base, 1, run, f)
      }
    default:
      Broadcasting.forEachRun(outShape: outShape, aShape: a.shape, bShape: b.shape) {
        outOffset, aOffset, aStep, bOffset, bStep, n in
        applyRun(o + outOffset, pa + aOffset, aStep, pb + bOffset, bStep, n, f)
      }
    }
    return Tensor(shape: outShape, storage: result)
  }

  /// Fills `n` consecutive outputs from operands that each either advance (step 1) or
  /// repeat one value (step 0). Every branch is a plain unit-stride loop on pointers, so
  /// the compiler vectorises it once `f` is inlined.
  @inline(__always)
  static func applyRun(
    _ o: UnsafeMutablePointer<Float>, _ a: UnsafePointer<Float>, _ aStep: Int,
    _ b: UnsafePointer<Float>, _ bStep: Int, _ n: Int, _ f: (Float, Float) -> Float
  ) {
    guard n > 0 else { return }
    if aStep != 0 && bStep != 0 {
      for j in 0..<n { o[j] = f(a[j], b[j]) }
    } else if aStep != 0 {
      let s = b[0]
      for j in 0..<n { o[j] = f(a[j], s) }
    } else if bStep != 0 {
      let s = a[0]
      for j in 0..<n { o[j] = f(s, b[j]) }
    } else {
      let v = f(a[0], b[0])
      for j in 0..<n { o[j] = v }
    }
  }

  /// Applies a unary scalar function elementwise.
  @inline(__always)
  package func mapped(_ f: (Float) -> Float) -> Tensor {
    let n = count
    let result = TensorStorage(uninitializedCount: n)
    let o = result.base
    let p = storage.base
    for i in 0..<n { o[i] = f(p[i]) }
    return Tensor(shape: shape, storage: result)
  }

  /// Applies a function of two same-shaped tensors elementwise (no broadcasting).
  @inline(__always)
  package func zipped(with other: Tensor, _ f: (Float, Float) -> Float) -> Tensor {
    precondition(shape == other.shape, "elementwise: shapes \(shape) and \(other.shape) differ")
    let n = count
    let result = TensorStorage(uninitializedCount: n)
    let o = result.base
    let p = storage.base
    let q = other.storage.base
    for i in 0..<n { o[i] = f(p[i], q[i]) }
    return Tensor(shape: shape, storage: result)
  }

  /// Sums `self` down to `target` shape, undoing a broadcast (for gradients).
  package func sumToShape(_ target: [Int]) -> Tensor {
    if shape == target { return self }
    var result = self
    let offset = rank - target.count
    // Leading axes that broadcasting added.
    if offset > 0 {
      let lead = Tensor.elementCount(Array(shape[0..<offset]))
      result = result.reshaped(to: [lead] + Array(shape[offset...])).sum(alongAxes: [0])
    }
    var axes: [Int] = []
    for (i, extent) in target.enumerated() where extent == 1 && result.shape[i] != 1 {
      axes.append(i)
    }
    if !axes.isEmpty { result = result.sum(alongAxes: axes, keepDims: true) }
    return result.reshaped(to: target)
  }

  /// Adds `other` into this tensor, reusing the buffer when it is not shared (untracked).
  mutating func addInPlace(_ other: Tensor) {
    if shape != other.shape {
      self = Tensor.broadcastingApply(self, other, op: "addInPlace", +)
      return
    }
    withUnsafeMutableBufferPointer { buffer in
      guard let p = buffer.baseAddress else { return }
      let q = other.storage.base
      for i in 0..<buffer.count { p[i] += q[i] }
    }
  }
}
