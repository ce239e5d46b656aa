import CKernels

extension Tensor {
  /// `activation(x · kernel + bias)` for a rank-2 `x`, as one sgemm onto rows pre-filled
  /// with the bias and, for relu, an in-place pass; one tape entry whose backward masks
  /// the gradient, sums it for the bias and runs the two products that are needed.
  ///
  /// - Parameter relu: apply relu (otherwise the result is linear).
  package static func fusedDense(_ x: Tensor, kernel: Tensor, bias: Tensor?, relu: Bool) -> Tensor {
    precondition(
      x.rank == 2 && kernel.rank == 2 && x.shape[1] == kernel.shape[0],
      "fusedDense: shapes \(x.shape) and \(kernel.shape) do not fit")
    let (rows, inner, units) = (x.shape[0], x.shape[1], kernel.shape[1])
    let output = TensorStorage(uninitializedCount: rows * units)
    var beta: Float = 0
    if let bias {
      precondition(
        bias.shape == [units], "fusedDense: bias shape \(bias.shape), expected [\(units)]")
      for r in 0..<rows { (output.base + r * units).update(from: bias.storage.base, count: units) }
      beta = 1
    }
    gemm(
      transposeA: false, transposeB: false, m: rows, n: units, k: inner, a: x.storage.base,
      lda: inner,
      b: kernel.storage.base, ldb: units, c: output.base, ldc: units, beta: beta)
    if relu { sk_relu(output.base, output.base, rows * units) }
    let y = Tensor(shape: [rows, units], storage: output)
    guard let tape = TapeContext.current else { return y }
    let needX = x.trace.tapeID == tape.id
    let needKernel = kernel.trace.tapeID == tape.id
    let needBias = bias.map { $0.trace.tapeID == tape.id } ?? false
    guard needX || needKernel || needBias else { return y }
    let (xd, kd) = (x.detached, kernel.detached)
    let inputs = bias.map { [x, kernel, $0] } ?? [x, kernel]
    return y.recorded(from: inputs) { g in
      var gz = g
      if relu {
        let masked = TensorStorage(uninitializedCount: rows * units)
        sk_relu_backward(output.base, g.storage.base, masked.base, rows * units)
        gz = Tensor(shape: [rows, units], storage: masked)
      }
      var grads: [Tensor?] = [nil, nil]
      if needX { grads[0] = matmul(gz, kd, transposeB: true) }
      if needKernel { grads[1] = matmul(xd, gz, transposeA: true) }
      if bias != nil {
        if needBias {
          let sums = TensorStorage(uninitializedCount: units)
          sk_sum_rows(gz.storage.base, sums.base, rows, units)
          grads.append(Tensor(shape: [units], storage: sums))
        } else {
          grads.append(nil)
        }
      }
      return grads
    }
  }
}
