import Foundation

// Activations built on the logistic sigmoid and its piecewise-linear approximation.

/// `1 / (1 + exp(-x))`, as `keras.activations.sigmoid`.
public func sigmoid(_ x: Tensor) -> Tensor {
  x.activation(output: x.sigmoidForward(), derivative: { _, y in y * (1 - y) })
}

/// `x * sigmoid(x)`, as `keras.activations.silu` (also called swish).
public func silu(_ x: Tensor) -> Tensor {
  x.activation(
    output: x.siluForward(),
    derivative: { v, _ in
      let s = logisticSigmoid(v)
      return s * (1 + v * (1 - s))
    })
}

/// `x * sigmoid(x)`; the same function as ``silu(_:)``, as `keras.activations.swish`.
public func swish(_ x: Tensor) -> Tensor { silu(x) }

/// `relu6(x + 3) / 6`, Keras 3's piecewise-linear sigmoid, as
/// `keras.activations.hard_sigmoid`.
public func hardSigmoid(_ x: Tensor) -> Tensor {
  x.activationMapped(
    { Swift.min(Swift.max($0 + 3, 0), 6) / 6 },
    derivative: { v, _ in v > -3 && v < 3 ? 1.0 / 6 : 0 })
}

/// `x * hard_sigmoid(x)`, as `keras.activations.hard_silu`.
public func hardSilu(_ x: Tensor) -> Tensor {
  x.activationMapped(
    { $0 * (Swift.min(Swift.max($0 + 3, 0), 6) / 6) },
    derivative: { v, _ in
      if v <= -3 { return 0 }
      if v >= 3 { return 1 }
      return (2 * v + 3) / 6
    })
}

/// `x * hard_sigmoid(x)`; the same function as ``hardSilu(_:)``, as
/// `keras.activations.hard_swish`.
public func hardSwish(_ x: Tensor) -> Tensor { hardSilu(x) }

/// `log(sigmoid(x))`, computed without overflow, as `keras.activations.log_sigmoid`.
public func logSigmoid(_ x: Tensor) -> Tensor {
  x.activationMapped(
    { Swift.min($0, 0) - accurateLog1p(Foundation.exp(-Swift.abs($0))) },
    derivative: { v, _ in logisticSigmoid(-v) })
}

/// 0 for `x <= -1`, 1 for `x >= 1` and `(x + 1) / 2` between, as
/// `keras.activations.sparse_sigmoid`.
public func sparseSigmoid(_ x: Tensor) -> Tensor {
  x.activationMapped(
    { v in v <= -1 ? 0 : (v >= 1 ? 1 : 0.5 * (v + 1)) },
    derivative: { v, _ in v > -1 && v < 1 ? 0.5 : 0 })
}

/// `x` limited to `[-1, 1]`, as `keras.activations.hard_tanh`.
public func hardTanh(_ x: Tensor) -> Tensor {
  x.activationMapped(
    { Swift.min(Swift.max($0, -1), 1) }, derivative: { v, _ in v >= -1 && v <= 1 ? 1 : 0 })
}
