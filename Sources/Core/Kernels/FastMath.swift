/// Branch-free scalar math that the compiler can vectorise inside element-wise loops,
/// unlike calls into libm.
enum FastMath {
  /// e^x in single precision (Cephes' `expf` range reduction and polynomial), within a
  /// few ulp of the exact value: `inf` above `log(Float.greatestFiniteMagnitude)`,
  /// gradual underflow to 0 near -104, and NaN passed through.
  @inline(__always)
  static func exp(_ x: Float) -> Float {
    let upper: Float = 88.722_84
    let lower: Float = -103.972_08
    let c = Swift.min(Swift.max(x, lower), upper)
    // n = round(c / ln 2), by adding and subtracting 1.5 · 2^23 (no libm, no conversion traps).
    let magic: Float = 12_582_912
    let shifted = c * 1.442_695_04 + magic
    let n = shifted - magic
    // r = c - n ln 2, with ln 2 split in two so the first product is exact.
    var r = c - n * 0.693_359_375
    r = r + n * 2.121_944_4e-4
    var p: Float = 1.987_569_15e-4
    p = p * r + 1.398_199_95e-3
    p = p * r + 8.333_451_9e-3
    p = p * r + 4.166_579_6e-2
    p = p * r + 1.666_666_55e-1
    p = p * r + 5.000_000_1e-1
    let y = p * r * r + r + 1
    // 2^n from the integer in the low mantissa bits of `shifted`, as two normal factors
    // so that n = 128 (near the top) and n < -126 (subnormal results) stay exact.
    let k = Int32(bitPattern: shifted.bitPattern &- magic.bitPattern)
    let half = k >> 1
    let s1 = Float(bitPattern: UInt32(bitPattern: (half &+ 127) << 23))
    let s2 = Float(bitPattern: UInt32(bitPattern: (k &- half &+ 127) << 23))
    var result = y * s1 * s2
    result = x < lower ? 0 : result
    result = x > upper ? .infinity : result
    return result
  }
}
