// Shape manipulation: reshape, transpose, slicing, gathering, concatenation, stacking,
// broadcasting. All differentiable.

import COpenBLAS

extension Tensor {
  /// The same elements with a new shape of equal element count. One extent may be -1 and
  /// is then inferred.
  public func reshaped(to newShape: [Int]) -> Tensor {
    var resolved = newShape
    if let unknown = newShape.firstIndex(of: -1) {
      let known = newShape.enumerated().reduce(1) { $1.offset == unknown ? $0 : $0 * $1.element }
      precondition(
        known > 0 && count % known == 0,
        "reshaped(to:): cannot reshape \(shape) (\(count) elements) to \(newShape)")
      resolved[unknown] = count / known
    }
    precondition(
      Tensor.elementCount(resolved) == count,
      "reshaped(to:): cannot reshape \(shape) (\(count) elements) to \(newShape)")
    if resolved == shape { return self }
    let oldShape = shape
    return Tensor(shape: resolved, storage: storage).recorded(from: self) {
      $0.reshaped(to: oldShape)
    }
  }

  /// Inserts an axis of extent 1 at `axis` (negative counts from the end).
  public func expandingShape(at axis: Int) -> Tensor {
    let a = axis < 0 ? axis + rank + 1 : axis
    precondition(
      a >= 0 && a <= rank, "expandingShape(at:): axis \(axis) out of range for rank \(rank)")
    var newShape = shape
    newShape.insert(1, at: a)
    return reshaped(to: newShape)
  }

  /// Removes axes of extent 1 (all of them when `axes` is empty).
  ///
  /// - Precondition: every axis in `axes` has extent 1, as `np.squeeze`.
  public func squeezingShape(at axes: [Int] = []) -> Tensor {
    let normalized = Set(axes.map { normalizeAxis($0, op: "squeezingShape") })
    for a in normalized {
      precondition(
        shape[a] == 1,
        "squeezingShape(at:): axis \(a) of shape \(shape) has extent \(shape[a]), not 1")
    }
    var newShape: [Int] = []
    for (i, extent) in shape.enumerated() {
      if extent == 1 && (normalized.isEmpty || normalized.contains(i)) { continue }
      newShape.append(extent)
    }
    return reshaped(to: newShape)
  }

  /// A rank-2 view as `[firstAxisExtent, rest]`.
  public func flattenedBatch() -> Tensor {
    reshaped(to: [shape.first ?? 1, Tensor.elementCount(Array(shape.dropFirst()))])
  }

  @usableFromInline
  package func normalizeAxis(_ axis: Int, op: String) -> Int {
    let a = axis < 0 ? axis + rank : axis
    precondition(
      a >= 0 && a < Swift.max(rank, 1), "\(op): axis \(axis) out of range for shape \(shape)")
    return a
  }

  /// The axes reordered: result axis `i` is input axis `permutation[i]`.
  public func transposed(permutation: [Int]) -> Tensor {
    precondition(
      permutation.sorted() == Array(0..<rank),
      "transposed(permutation:): \(permutation) is not a permutation of the axes of \(shape)")
    if permutation == Array(0..<rank) { return self }
    let outShape = permutation.map { shape[$0] }
    var inStrides = [Int](repeating: 1, count: rank)
    for i in stride(from: rank - 2, through: 0, by: -1) {
      inStrides[i] = inStrides[i + 1] * shape[i + 1]
    }
    let permutedStrides = permutation.map { inStrides[$0] }
    let result = TensorStorage(uninitializedCount: count)
    let src = storage.base
    let dst = result.base
    if count > 0 && permutation == Array(0..<(rank - 2)) + [rank - 1, rank - 2] {
      // A matrix transpose of each trailing matrix: OpenBLAS's out-of-place copy.
      let (rows, cols) = (shape[rank - 2], shape[rank - 1])
      for b in 0..<(count / (rows * cols)) {
        cblas_somatcopy(
          CblasRowMajor, CblasTrans, Int32(rows), Int32(cols), 1, src + b * rows * cols,
          Int32(cols), dst + b * rows * cols, Int32(rows))
      }
    } else if count > 0 {
      let inner = outShape[rank - 1]
      let innerStride = permutedStrides[rank - 1]
      var index = [Int](repeating: 0, count: rank)
      var srcOffset = 0
      var out = 0
      while out < count {
        for j in 0..<inner { dst[out + j] = src[srcOffset + j * innerStride] }
        out += inner
        var axis = rank - 2
        while axis >= 0 {
          index[axis] += 1
          srcOffset += permutedStrides[axis]
          if index[axis] < outShape[axis] { break }
          srcOffset -= permutedStrides[axis] * outShape[axis]
          index[axis] = 0
          axis -= 1
        }
      }
    }
    var inverse = [Int](repeating: 0, count: rank)
    for (i, p) in permutation.enumerated() { inverse[p] = i }
    return Tensor(shape: outShape, storage: result).recorded(from: self) {
      $0.transposed(permutation: inverse)
    }
  }

  /// The last two axes swapped (a matrix transpose for rank 2).
  public func transposed() -> Tensor {
    precondition(rank >= 2, "transposed(): needs rank 2 or more, got shape \(shape)")
    var permutation = Array(0..<rank)
    permutation.swapAt(rank - 1, rank - 2)
    return transposed(permutation: permutation)
  }

  /// The elements at `range` along `axis`.
  public func slice(_ range: Range<Int>, alongAxis axis: Int = 0) -> Tensor {
    let a = normalizeAxis(axis, op: "slice")
    precondition(
      range.lowerBound >= 0 && range.upperBound <= shape[a],
      "slice: range \(range) out of bounds for axis \(a) of shape \(shape)")
    var outShape = shape
    outShape[a] = range.count
    let outer = Tensor.elementCount(Array(shape[0..<a]))
    let inner = Tensor.elementCount(Array(shape[(a + 1)...]))
    let result = TensorStorage(uninitializedCount: outer * range.count * inner)
    let block = range.count * inner
    for o in 0..<outer {
      (result.base + o * block).update(
        from: storage.base + (o * shape[a] + range.lowerBound) * inner, count: block)
    }
    let inShape = shape
    return Tensor(shape: outShape, storage: result).recorded(from: self) { g in
      Tensor.padSlice(g, into: inShape, axis: a, at: range.lowerBound)
    }
  }

  /// Rows `range` of the first axis (a mini-batch).
  public subscript(rows range: Range<Int>) -> Tensor { slice(range, alongAxis: 0) }

  /// The sub-tensor at `index` of the first axis.
  public subscript(index: Int) -> Tensor {
    slice(index..<(index + 1), alongAxis: 0).reshaped(to: Array(shape.dropFirst()))
  }

  static func padSlice(_ g: Tensor, into shape: [Int], axis: Int, at start: Int) -> Tensor {
    var result = Tensor(repeating: 0, shape: shape)
    let outer = Tensor.elementCount(Array(shape[0..<axis]))
    let inner = Tensor.elementCount(Array(shape[(axis + 1)...]))
    let block = g.shape[axis] * inner
    result.withUnsafeMutableBufferPointer { dst in
      for o in 0..<outer {
        (dst.baseAddress! + (o * shape[axis] + start) * inner).update(
          from: g.storage.base + o * block, count: block)
      }
    }
    return result
  }

  /// The rows at `indices` along the first axis, in that order (repeats allowed).
  public func gathering(rows indices: [Int]) -> Tensor {
    precondition(rank >= 1, "gathering(rows:): needs rank 1 or more, got a scalar")
    let rows = shape[0]
    let inner = Tensor.elementCount(Array(shape.dropFirst()))
    var outShape = shape
    outShape[0] = indices.count
    let result = TensorStorage(uninitializedCount: indices.count * inner)
    for (i, row) in indices.enumerated() {
      precondition(
        row >= 0 && row < rows, "gathering(rows:): index \(row) out of range 0..<\(rows)")
      (result.base + i * inner).update(from: storage.base + row * inner, count: inner)
    }
    let inShape = shape
    return Tensor(shape: outShape, storage: result).recorded(from: self) { g in
      var grad = Tensor(repeating: 0, shape: inShape)
      grad.withUnsafeMutableBufferPointer { dst in
        for (i, row) in indices.enumerated() {
          let d = dst.baseAddress! + row * inner
          let s = g.storage.base + i * inner
          for j in 0..<inner { d[j] += s[j] }
        }
      }
      return grad
    }
  }

  /// Joins tensors along an existing axis; all other extents must match.
  public static func concatenate(_ tensors: [Tensor], alongAxis axis: Int = 0) -> Tensor {
    precondition(!tensors.isEmpty, "concatenate: needs at least one tensor")
    let first = tensors[0]
    let a = first.normalizeAxis(axis, op: "concatenate")
    for t in tensors {
      precondition(
        t.rank == first.rank
          && (0..<first.rank).allSatisfy { $0 == a || t.shape[$0] == first.shape[$0] },
        "concatenate: shapes \(first.shape) and \(t.shape) do not match outside axis \(a)")
    }
    var outShape = first.shape
    outShape[a] = tensors.reduce(0) { $0 + $1.shape[a] }
    let outer = Tensor.elementCount(Array(first.shape[0..<a]))
    let inner = Tensor.elementCount(Array(first.shape[(a + 1)...]))
    let result = TensorStorage(uninitializedCount: Tensor.elementCount(outShape))
    let outBlock = outShape[a] * inner
    var offset = 0
    var starts: [Int] = []
    for t in tensors {
      starts.append(offset)
      let block = t.shape[a] * inner
      for o in 0..<outer {
        (result.base + o * outBlock + offset * inner).update(
          from: t.storage.base + o * block, count: block)
      }
      offset += t.shape[a]
    }
    let extents = tensors.map { $0.shape[a] }
    return Tensor(shape: outShape, storage: result).recorded(from: tensors) { g in
      zip(starts, extents).map { start, extent in g.slice(start..<(start + extent), alongAxis: a) }
    }
  }

  /// Stacks same-shaped tensors along a new axis.
  public static func stack(_ tensors: [Tensor], alongAxis axis: Int = 0) -> Tensor {
    precondition(!tensors.isEmpty, "stack: needs at least one tensor")
    let shape = tensors[0].shape
    for t in tensors {
      precondition(t.shape == shape, "stack: shapes \(shape) and \(t.shape) differ")
    }
    let a = axis < 0 ? axis + shape.count + 1 : axis
    precondition(
      a >= 0 && a <= shape.count, "stack: axis \(axis) out of range for rank \(shape.count)")
    return concatenate(tensors.map { $0.expandingShape(at: a) }, alongAxis: a)
  }

  /// The tensor repeated to `newShape` under numpy's broadcasting rules.
  public func broadcast(toShape newShape: [Int]) -> Tensor {
    if newShape == shape { return self }
    let out = Broadcasting.checkedShape(shape, newShape, op: "broadcast(toShape:)")
    precondition(out == newShape, "broadcast(toShape:): cannot broadcast \(shape) to \(newShape)")
    let result = TensorStorage(uninitializedCount: Tensor.elementCount(newShape))
    let src = storage.base
    let dst = result.base
    // Each run of the output is either a copy of a source row or one repeated value.
    Broadcasting.forEachRun(outShape: newShape, aShape: shape, bShape: []) {
      outOffset, aOffset, aStep, _, _, n in
      if aStep != 0 {
        (dst + outOffset).update(from: src + aOffset, count: n)
      } else {
        (dst + outOffset).update(repeating: src[aOffset], count: n)
      }
    }
    let inShape = shape
    return Tensor(shape: newShape, storage: result).recorded(from: self) { $0.sumToShape(inShape) }
  }
}

extension Tensor: ExpressibleByArrayLiteral {
  /// Creates a tensor from nested array literals: `[[1, 2], [3, 4]]` has shape [2, 2].
  public init(arrayLiteral elements: Tensor...) {
    if elements.isEmpty {
      self.init(shape: [0], scalars: [])
    } else {
      self = Tensor.stack(elements)
    }
  }
}
