// The fused element-wise kernel every activation function runs on: one pass forward,
// one pass backward, no intermediate tensors.

extension Tensor {
  /// Applies `forward` to each element in one pass and records a backward pass that
  /// multiplies the incoming gradient by `derivative(x, y)` element by element, where `x`
  /// is the input element and `y` the output element.
  ///
  /// The input and output buffers are kept alive by the tape entry, so the backward pass
  /// needs no recomputation.
  @inline(__always)
  func activationMapped(
    _ forward: (Float) -> Float,
    derivative: @escaping (_ x: Float, _ y: Float) -> Float
  ) -> Tensor {
    activation(output: mapped(forward), derivative: derivative)
  }

  /// Records `y`, computed from this tensor by an element-wise activation, with the
  /// backward pass of ``activationMapped(_:derivative:)``.
  @inline(__always)
  func activation(
    output y: Tensor, derivative: @escaping (_ x: Float, _ y: Float) -> Float
  ) -> Tensor {
    guard recordingTape != nil else { return y }
    let input = storage
    let output = y.storage
    return y.recorded(from: self) { g in
      precondition(
        g.count == input.count,
        "activation backward: gradient of shape \(g.shape) does not match the output")
      let n = g.count
      let result = TensorStorage(uninitializedCount: n)
      let o = result.base
      let pg = g.storage.base
      let px = input.base
      let py = output.base
      for i in 0..<n { o[i] = pg[i] * derivative(px[i], py[i]) }
      return Tensor(shape: g.shape, storage: result)
    }
  }
}
