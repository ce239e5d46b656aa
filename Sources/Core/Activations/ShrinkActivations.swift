// Activations that zero or replace a band of small or low values.

/// `x - threshold` above `threshold`, `x + threshold` below `-threshold` and 0 between,
/// as `keras.activations.soft_shrink`.
public func softShrink(_ x: Tensor, threshold: Float = 0.5) -> Tensor {
  x.activationMapped(
    { v in v > threshold ? v - threshold : (v < -threshold ? v + threshold : 0) },
    derivative: { v, _ in v > threshold || v < -threshold ? 1 : 0 })
}

/// ``softShrink(_:threshold:)`` with threshold 0.5, as a `(Tensor) -> Tensor`.
public func softShrink(_ x: Tensor) -> Tensor { softShrink(x, threshold: 0.5) }

/// `x` where `|x| > threshold`, else 0, as `keras.activations.hard_shrink`.
public func hardShrink(_ x: Tensor, threshold: Float = 0.5) -> Tensor {
  x.activationMapped(
    { Swift.abs($0) > threshold ? $0 : 0 },
    derivative: { v, _ in Swift.abs(v) > threshold ? 1 : 0 })
}

/// ``hardShrink(_:threshold:)`` with threshold 0.5, as a `(Tensor) -> Tensor`.
public func hardShrink(_ x: Tensor) -> Tensor { hardShrink(x, threshold: 0.5) }

/// `x` where `x > threshold`, else `defaultValue`, as `keras.activations.threshold`.
public func threshold(_ x: Tensor, threshold: Float, defaultValue: Float) -> Tensor {
  x.activationMapped(
    { $0 > threshold ? $0 : defaultValue }, derivative: { v, _ in v > threshold ? 1 : 0 })
}
