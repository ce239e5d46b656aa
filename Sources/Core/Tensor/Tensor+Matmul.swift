import COpenBLAS

extension Tensor {
  /// The matrix product, on OpenBLAS's `cblas_sgemm`.
  ///
  /// Rank-2 operands multiply as matrices. Higher ranks multiply the last two axes and
  /// batch over the leading ones, which must be equal or absent from one side (a rank-2
  /// operand is shared by every batch).
  ///
  /// - Parameters:
  ///   - transposeA: use the transpose of the last two axes of `a`.
  ///   - transposeB: use the transpose of the last two axes of `b`.
  public static func matmul(
    _ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false
  ) -> Tensor {
    precondition(
      a.rank >= 2 && b.rank >= 2,
      "matmul: operands need rank 2 or more, got shapes \(a.shape) and \(b.shape)")
    let m = transposeA ? a.shape[a.rank - 1] : a.shape[a.rank - 2]
    let ka = transposeA ? a.shape[a.rank - 2] : a.shape[a.rank - 1]
    let kb = transposeB ? b.shape[b.rank - 1] : b.shape[b.rank - 2]
    let n = transposeB ? b.shape[b.rank - 2] : b.shape[b.rank - 1]
    precondition(
      ka == kb,
      "matmul: shapes \(a.shape)\(transposeA ? "ᵀ" : "") and \(b.shape)\(transposeB ? "ᵀ" : "") do not fit (inner extents \(ka) and \(kb))"
    )
    let batchA = Array(a.shape.dropLast(2))
    let batchB = Array(b.shape.dropLast(2))
    precondition(
      batchA == batchB || batchA.isEmpty || batchB.isEmpty,
      "matmul: batch axes of shapes \(a.shape) and \(b.shape) differ")
    let batch = batchA.isEmpty ? batchB : batchA
    let batchCount = Tensor.elementCount(batch)
    let result = TensorStorage(uninitializedCount: batchCount * m * n)
    let lda = a.shape[a.rank - 1]
    let ldb = b.shape[b.rank - 1]
    let strideA = batchA.isEmpty ? 0 : m * ka
    let strideB = batchB.isEmpty ? 0 : ka * n
    if strideB == 0 && !transposeA && batchCount > 1 {
      // A batch against one shared matrix is one tall product.
      gemm(
        transposeA: false, transposeB: transposeB, m: batchCount * m, n: n, k: ka,
        a: a.storage.base, lda: lda, b: b.storage.base, ldb: ldb, c: result.base, ldc: n)
    } else {
      for i in 0..<batchCount {
        gemm(
          transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: ka,
          a: a.storage.base + i * strideA, lda: lda, b: b.storage.base + i * strideB, ldb: ldb,
          c: result.base + i * m * n, ldc: n)
      }
    }
    let output = Tensor(shape: batch + [m, n], storage: result)
    return output.recorded(from: a, b) { g, needA, needB in
      let (ad, bd) = (a.detached, b.detached)
      var ga: Tensor? = nil
      var gb: Tensor? = nil
      if needA {
        // C = op(A) op(B): dA follows from G op(B)ᵀ, transposed back when A was.
        ga =
          transposeA
          ? matmul(bd, g, transposeA: transposeB, transposeB: true)
          : matmul(g, bd, transposeA: false, transposeB: !transposeB)
        if batchA.isEmpty && !batch.isEmpty { ga = ga!.sum(alongAxes: Array(0..<batch.count)) }
      }
      if needB {
        gb =
          transposeB
          ? matmul(g, ad, transposeA: true, transposeB: transposeA)
          : matmul(ad, g, transposeA: !transposeA, transposeB: false)
        if batchB.isEmpty && !batch.isEmpty {
          gb = gb!.sum(alongAxes: Array(0..<batch.count))
        }
      }
      return (ga, gb)
    }
  }

  /// `cblas_sgemm` on row-major operands: C = op(A)·op(B).
  ///
  /// `singleThreaded` keeps OpenBLAS on the calling thread whatever the size, for
  /// products that already run on several cores side by side.
  @inline(__always)
  static func gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    c: UnsafeMutablePointer<Float>, ldc: Int, beta: Float = 0, singleThreaded: Bool = false
  ) {
    if m == 0 || n == 0 { return }
    if k == 0 {
      if beta == 0 { c.update(repeating: 0, count: m * ldc) }
      return
    }
    BLASThreads.prepare(m: m, n: n, k: k, singleThreaded: singleThreaded)
    cblas_sgemm(
      CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
      Int32(m), Int32(n), Int32(k), 1, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
  }
}

/// The matrix product of `a` and `b` (see ``Tensor/matmul(_:_:transposeA:transposeB:)``).
public func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false)
  -> Tensor
{
  Tensor.matmul(a, b, transposeA: transposeA, transposeB: transposeB)
}
