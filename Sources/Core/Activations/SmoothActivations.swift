import Foundation

// Smooth activations that are neither rectifiers nor sigmoid-based.

/// The hyperbolic tangent of each element, as `keras.activations.tanh`.
public func tanh(_ x: Tensor) -> Tensor {
  x.activation(output: x.tanhForward(), derivative: { _, y in 1 - y * y })
}

/// `log(1 + exp(x))`, computed without overflow, as `keras.activations.softplus`.
public func softplus(_ x: Tensor) -> Tensor {
  x.activationMapped(
    softplusValue,
    derivative: { v, _ in logisticSigmoid(v) })
}

/// `x / (1 + |x|)`, as `keras.activations.softsign`.
public func softsign(_ x: Tensor) -> Tensor {
  x.activationMapped(
    { $0 / (1 + Swift.abs($0)) },
    derivative: { v, _ in
      let d: Float = 1 + Swift.abs(v)
      return 1 / (d * d)
    })
}

/// `sqrt(2 / pi)`, the scale inside the tanh approximation of GELU.
private let geluTanhScale: Float = 0.7978845608028654
/// The cubic coefficient of the tanh approximation of GELU.
private let geluCubic: Float = 0.044715
/// `1 / sqrt(2)`.
private let inverseSquareRootOfTwo: Float = 0.7071067811865476
/// `1 / sqrt(2 * pi)`, the standard normal density at zero.
private let inverseSquareRootOfTwoPi: Float = 0.3989422804014327

/// The Gaussian error linear unit, as `keras.activations.gelu`.
///
/// With `approximate: false` (Keras's default for the activation) this is the exact
/// `x * Φ(x) = 0.5 * x * (1 + erf(x / sqrt(2)))`; with `approximate: true` it is
/// `0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x³)))`.
public func gelu(_ x: Tensor, approximate: Bool = false) -> Tensor {
  if approximate {
    return x.activationMapped(
      { v in 0.5 * v * (1 + hyperbolicTangent(geluTanhScale * (v + geluCubic * v * v * v))) },
      derivative: { v, _ in
        let t = hyperbolicTangent(geluTanhScale * (v + geluCubic * v * v * v))
        let du = geluTanhScale * (1 + 3 * geluCubic * v * v)
        return 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * du
      })
  }
  // erfc keeps the far negative tail accurate where 1 + erf(x) would cancel.
  return x.activationMapped(
    { v in 0.5 * v * Foundation.erfc(-v * inverseSquareRootOfTwo) },
    derivative: { v, _ in
      let cdf = 0.5 * Foundation.erfc(-v * inverseSquareRootOfTwo)
      return cdf + v * inverseSquareRootOfTwoPi * Foundation.exp(-0.5 * v * v)
    })
}

/// The exact (erf) Gaussian error linear unit, Keras's default, as a `(Tensor) -> Tensor`.
public func gelu(_ x: Tensor) -> Tensor { gelu(x, approximate: false) }

/// `exp(x)`, as `keras.activations.exponential`.
public func exponential(_ x: Tensor) -> Tensor {
  x.activationMapped({ Foundation.exp($0) }, derivative: { _, y in y })
}

/// The input unchanged, as `keras.activations.linear`.
public func linear(_ x: Tensor) -> Tensor { x }

/// `x * tanh(softplus(x))`, as `keras.activations.mish`.
public func mish(_ x: Tensor) -> Tensor {
  x.activationMapped(
    { $0 * hyperbolicTangent(softplusValue($0)) },
    derivative: { v, _ in
      let t = hyperbolicTangent(softplusValue(v))
      return t + v * (1 - t * t) * logisticSigmoid(v)
    })
}

/// `x - tanh(x)`, as `keras.activations.tanh_shrink`.
public func tanhShrink(_ x: Tensor) -> Tensor {
  x.activationMapped(
    { $0 - hyperbolicTangent($0) },
    derivative: { v, _ in
      let t = hyperbolicTangent(v)
      return t * t
    })
}

/// `(x + sqrt(x² + b)) / 2`, a smooth ReLU, as `keras.activations.squareplus`.
public func squareplus(_ x: Tensor, b: Float = 4) -> Tensor {
  x.activationMapped(
    { ($0 + ($0 * $0 + b).squareRoot()) / 2 },
    derivative: { v, _ in (1 + v / (v * v + b).squareRoot()) / 2 })
}

/// 0 for `x <= -1`, `(x + 1)² / 4` for `-1 < x < 1` and `x` from 1 on, as
/// `keras.activations.sparse_plus`.
public func sparsePlus(_ x: Tensor) -> Tensor {
  x.activationMapped(
    { v in v <= -1 ? 0 : (v < 1 ? 0.25 * (v + 1) * (v + 1) : v) },
    derivative: { v, _ in v <= -1 ? 0 : (v < 1 ? 0.5 * (v + 1) : 1) })
}

/// `(x + sqrt(x² + 4)) / 2`, as a `(Tensor) -> Tensor`.
public func squareplus(_ x: Tensor) -> Tensor { squareplus(x, b: 4) }
