import COpenBLAS

/// Orthonormalization of the rows of a matrix, the QR step behind ``Orthogonal``.
enum GramSchmidt {
  /// Replaces the `count` rows of the row-major `count × length` matrix at `rows` with
  /// orthonormal rows spanning the same nested subspaces (`count <= length`).
  ///
  /// Row `j` becomes the normalized part of row `j` orthogonal to rows `0..<j`, so the
  /// result is the Q of a QR decomposition of the transposed matrix whose R has a
  /// positive diagonal. Classical Gram–Schmidt runs twice per row ("twice is enough"),
  /// in Double, on OpenBLAS's `dgemv`, which keeps the rows orthonormal to rounding.
  static func orthonormalizeRows(_ rows: UnsafeMutablePointer<Double>, count: Int, length: Int) {
    precondition(count <= length, "GramSchmidt: \(count) rows of length \(length)")
    guard count > 0, length > 0 else { return }
    var projections = [Double](repeating: 0, count: count)
    let n = Int32(length)
    projections.withUnsafeMutableBufferPointer { r in
      guard let r = r.baseAddress else { return }
      for j in 0..<count {
        let v = rows + j * length
        if j > 0 {
          for _ in 0..<2 {
            // r = Q v, then v -= Qᵀ r, with Q the rows already done.
            cblas_dgemv(CblasRowMajor, CblasNoTrans, Int32(j), n, 1, rows, n, v, 1, 0, r, 1)
            cblas_dgemv(CblasRowMajor, CblasTrans, Int32(j), n, -1, rows, n, r, 1, 1, v, 1)
          }
        }
        let norm = cblas_dnrm2(n, v, 1)
        if norm > 0 { cblas_dscal(n, 1 / norm, v, 1) }
      }
    }
  }
}
