import Foundation

// Scalar helpers for the activation kernels. Glibc's float `tanhf`, `expm1f` and
// `log1pf` cost several times `expf`; these forms use `exp` and `log` only, with a short
// series where the direct formula would cancel, and stay within a few ulps.

/// The logistic sigmoid `1 / (1 + exp(-v))`, branch-free: `exp` overflowing to infinity
/// gives exactly 0, so no range split is needed.
@inline(__always)
func logisticSigmoid(_ v: Float) -> Float {
  1 / (1 + Foundation.exp(-v))
}

/// `exp(v) - 1`, accurate near zero (a degree-5 series for `|v| < 0.1`).
@inline(__always)
func accurateExpm1(_ v: Float) -> Float {
  let direct = Foundation.exp(v) - 1
  let series = v * (1 + v * (0.5 + v * (1.0 / 6 + v * (1.0 / 24 + v * (1.0 / 120)))))
  return Swift.abs(v) < 0.1 ? series : direct
}

/// `log(1 + e)` for `e >= 0`, accurate for tiny `e` (Goldberg's correction).
@inline(__always)
func accurateLog1p(_ e: Float) -> Float {
  let u = 1 + e
  let d = u - 1
  return d == 0 ? e : Foundation.log(u) * (e / d)
}

/// The hyperbolic tangent from one `exp`, with a degree-7 series for `|v| < 0.1`.
@inline(__always)
func hyperbolicTangent(_ v: Float) -> Float {
  let a = Swift.abs(v)
  let e = Foundation.exp(-2 * a)
  let direct = (1 - e) / (1 + e)
  let a2 = a * a
  let series = a * (1 + a2 * (-1.0 / 3 + a2 * (2.0 / 15 + a2 * (-17.0 / 315))))
  let magnitude = a < 0.1 ? series : direct
  return Float(signOf: v, magnitudeOf: magnitude)
}

/// `log(1 + exp(v))` without overflow.
@inline(__always)
func softplusValue(_ v: Float) -> Float {
  Swift.max(v, 0) + accurateLog1p(Foundation.exp(-Swift.abs(v)))
}
