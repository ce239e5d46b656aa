import Foundation

// Rectifier-style activations: piecewise linear or exponential below zero.

/// The rectified linear unit, with Keras 3's optional leak, ceiling and threshold.
///
/// With the defaults this is `max(x, 0)`. In general, as `keras.activations.relu`:
/// the positive part is `x` where `x > threshold` (else 0), clipped to
/// `[0, maxValue]` when `maxValue` is given, minus
/// `negativeSlope * max(threshold - x, 0)`.
///
/// ```swift
/// relu(Tensor([-10, -5, 0, 5, 10]), negativeSlope: 0.5)   // [-5, -2.5, 0, 5, 10]
/// relu(Tensor([-10, -5, 0, 5, 10]), maxValue: 5)          // [0, 0, 0, 5, 5]
/// relu(Tensor([-10, -5, 0, 5, 10]), threshold: 5)         // [0, 0, 0, 0, 10]
/// ```
///
/// - Parameters:
///   - negativeSlope: the slope below the threshold.
///   - maxValue: the largest value returned, or `nil` for no ceiling.
///   - threshold: the value below which the unit is damped.
public func relu(
  _ x: Tensor, negativeSlope: Float = 0, maxValue: Float? = nil, threshold: Float = 0
) -> Tensor {
  if maxValue == nil && threshold == 0 {
    return negativeSlope == 0 ? relu(x) : leakyRelu(x, negativeSlope: negativeSlope)
  }
  if maxValue == 6 && threshold == 0 && negativeSlope == 0 { return relu6(x) }
  let hasMax = maxValue != nil
  let ceiling = maxValue ?? .infinity
  let hasThreshold = threshold != 0
  return x.activationMapped(
    { v in
      var y: Float = hasThreshold ? (v > threshold ? v : 0) : Swift.max(v, 0)
      if hasMax { y = Swift.min(Swift.max(y, 0), ceiling) }
      if negativeSlope != 0 { y -= negativeSlope * Swift.max(threshold - v, 0) }
      return y
    },
    derivative: { v, _ in
      let passes = hasThreshold ? v > threshold : v > 0
      var d: Float = passes ? 1 : 0
      if hasMax {
        let p: Float = passes ? v : 0
        if p < 0 || p > ceiling { d = 0 }
      }
      if negativeSlope != 0 && threshold - v > 0 { d += negativeSlope }
      return d
    })
}

/// `max(x, 0)`, as `keras.activations.relu` with its defaults.
///
/// This one-argument form can be passed where a `(Tensor) -> Tensor` is expected.
public func relu(_ x: Tensor) -> Tensor {
  x.activationMapped({ $0 > 0 ? $0 : 0 }, derivative: { v, _ in v > 0 ? 1 : 0 })
}

/// `min(max(x, 0), 6)`, as `keras.activations.relu6`.
public func relu6(_ x: Tensor) -> Tensor {
  x.activationMapped(
    { Swift.min(Swift.max($0, 0), 6) }, derivative: { v, _ in v > 0 && v < 6 ? 1 : 0 })
}

/// `x` where `x > 0`, else `negativeSlope * x`, as `keras.activations.leaky_relu`
/// (whose default slope is 0.2).
public func leakyRelu(_ x: Tensor, negativeSlope: Float = 0.2) -> Tensor {
  x.activationMapped(
    { $0 > 0 ? $0 : negativeSlope * $0 }, derivative: { v, _ in v > 0 ? 1 : negativeSlope })
}

/// `x` where `x > 0`, else `0.2 * x`: ``leakyRelu(_:negativeSlope:)`` with Keras's
/// default slope, as a `(Tensor) -> Tensor`.
public func leakyRelu(_ x: Tensor) -> Tensor { leakyRelu(x, negativeSlope: 0.2) }

/// The exponential linear unit: `x` where `x > 0`, else `alpha * (exp(x) - 1)`, as
/// `keras.activations.elu`.
public func elu(_ x: Tensor, alpha: Float = 1) -> Tensor {
  x.activationMapped(
    { $0 > 0 ? $0 : alpha * accurateExpm1($0) },
    derivative: { v, y in v > 0 ? 1 : y + alpha })
}

/// The exponential linear unit with alpha 1, as a `(Tensor) -> Tensor`.
public func elu(_ x: Tensor) -> Tensor { elu(x, alpha: 1) }

/// The scale of ``selu(_:)``, as Keras.
let seluScale: Float = 1.0507009873554804934193349852946
/// The alpha of ``selu(_:)``, as Keras.
let seluAlpha: Float = 1.6732632423543772848170429916717

/// The scaled exponential linear unit: `scale * elu(x, alpha)` with Keras's constants
/// `alpha ≈ 1.67326324` and `scale ≈ 1.05070098`, as `keras.activations.selu`.
public func selu(_ x: Tensor) -> Tensor {
  let scaledAlpha = seluScale * seluAlpha
  return x.activationMapped(
    { $0 > 0 ? seluScale * $0 : scaledAlpha * accurateExpm1($0) },
    derivative: { v, y in v > 0 ? seluScale : y + scaledAlpha })
}

/// The continuously differentiable exponential linear unit:
/// `max(x, 0) + alpha * (exp(min(x, 0) / alpha) - 1)`, as `keras.activations.celu`.
public func celu(_ x: Tensor, alpha: Float = 1) -> Tensor {
  x.activationMapped(
    { Swift.max($0, 0) + alpha * accurateExpm1(Swift.min($0, 0) / alpha) },
    derivative: { v, _ in v > 0 ? 1 : Foundation.exp(v / alpha) })
}

/// The continuously differentiable exponential linear unit with alpha 1, as a
/// `(Tensor) -> Tensor`.
public func celu(_ x: Tensor) -> Tensor { celu(x, alpha: 1) }
