/// A whole SimpleRNN layer with a tanh, relu or linear activation over a sequence as one
/// tape operation, on the same recipe as `FusedLSTM`: one product for the input
/// projection of every step, one `[batch, units]` product per step for the recurrence,
/// and one product each for the weight gradients of all steps. Masks keep the state over
/// masked steps and repeat the previous output (zeros with `zeroOutputForMask`).
package enum FusedSimpleRNN {
  /// The activations the kernel computes (with their derivatives from the output).
  package enum Activation {
    /// `tanh(z)`; its derivative is `1 - h²`.
    case tanh
    /// `max(z, 0)`; its derivative is 1 where `h > 0`.
    case relu
    /// `z`.
    case linear
  }

  /// The output (`[batch, steps, units]` with `returnSequences`, else `[batch, units]`)
  /// and the final state, differentiable with respect to `x`, the weights and `h0`.
  package static func run(
    _ x: Tensor, kernel: Tensor, recurrentKernel: Tensor, bias: Tensor?, h0: Tensor,
    activation: Activation, mask: Tensor?, goBackwards: Bool, returnSequences: Bool,
    zeroOutputForMask: Bool
  ) -> (output: Tensor, h: Tensor) {
    let layout = RecurrentLayout(
      x, units: recurrentKernel.shape[0], goBackwards: goBackwards,
      returnSequences: returnSequences, zeroOutputForMask: zeroOutputForMask)
    let (batch, steps, features, units) = (
      layout.batch, layout.steps, layout.features, layout.units
    )
    let (rows, state) = (layout.rows, layout.state)
    let xs = layout.timeMajor(x)
    let keep = layout.keepFlags(mask)

    // x · kernel + bias for every step, then + h · recurrent and the activation per step:
    // the buffer ends up holding each step's activated value.
    let activated = TensorStorage(uninitializedCount: rows * units)
    Tensor.gemm(
      transposeA: false, transposeB: false, m: rows, n: units, k: features,
      a: xs.base, lda: features, b: kernel.storage.base, ldb: units, c: activated.base,
      ldc: units)
    if let bias {
      let bb = bias.storage.base
      for r in 0..<rows {
        let row = activated.base + r * units
        for j in 0..<units { row[j] += bb[j] }
      }
    }
    let hs = TensorStorage(uninitializedCount: (steps + 1) * state)
    hs.base.update(from: h0.storage.base, count: state)
    let outs = TensorStorage(repeating: 0, count: (steps + 1) * state)
    let scratch = UnsafeMutablePointer<Float>.allocate(capacity: Swift.max(state, 1))
    defer { scratch.deallocate() }
    let recurrent = recurrentKernel.storage.base
    for k in 0..<steps {
      let z = activated.base + k * state
      Tensor.gemm(
        transposeA: false, transposeB: false, m: batch, n: units, k: units,
        a: hs.base + k * state, lda: units, b: recurrent, ldb: units, c: z, ldc: units, beta: 1)
      switch activation {
      case .tanh:
        RecurrentActivations.tanh(z, rows: 1, columns: state, stride: state, scratch: scratch)
      case .relu:
        for i in 0..<state { z[i] = Swift.max(z[i], 0) }
      case .linear: break
      }
      let hPrev = hs.base + k * state
      let hNext = hs.base + (k + 1) * state
      let outPrev = outs.base + k * state
      let out = outs.base + (k + 1) * state
      for b in 0..<batch {
        let kept = keep?[k * batch + b] ?? true
        for u in 0..<units {
          let i = b * units + u
          hNext[i] = kept ? z[i] : hPrev[i]
          out[i] = kept ? z[i] : (zeroOutputForMask ? 0 : outPrev[i])
        }
      }
    }

    let packed = layout.pack(outputs: outs.base, finals: [hs.base + steps * state])
    var inputs = [x, kernel, recurrentKernel, h0]
    if let bias { inputs.append(bias) }
    let hasBias = bias != nil
    let kernelStorage = kernel.storage
    let recurrentStorage = recurrentKernel.storage
    let whole = Tensor(shape: [layout.outputCount + state], storage: packed).recorded(
      from: inputs
    ) { grad in
      let g = grad.storage.base
      let dhStorage = TensorStorage(uninitializedCount: state)
      let dh = dhStorage.base
      dh.update(from: g + layout.outputCount, count: state)
      let work = UnsafeMutablePointer<Float>.allocate(capacity: Swift.max(2 * state, 1))
      defer { work.deallocate() }
      let carry = work
      let gOut = work + state
      carry.update(repeating: 0, count: state)
      // The gradient of each step's pre-activation.
      let dZ = TensorStorage(repeating: 0, count: rows * units)
      for k in (0..<steps).reversed() {
        layout.outputGradient(g, step: k, carry: carry, into: gOut)
        let h = activated.base + k * state
        let dz = dZ.base + k * state
        for b in 0..<batch {
          if !(keep?[k * batch + b] ?? true) {
            if !zeroOutputForMask {
              for u in 0..<units { carry[b * units + u] = gOut[b * units + u] }
            }
            continue
          }
          for u in 0..<units {
            let i = b * units + u
            let dhNew = dh[i] + gOut[i]
            switch activation {
            case .tanh: dz[i] = dhNew * (1 - h[i] * h[i])
            case .relu: dz[i] = h[i] > 0 ? dhNew : 0
            case .linear: dz[i] = dhNew
            }
            dh[i] = 0
          }
        }
        Tensor.gemm(
          transposeA: false, transposeB: true, m: batch, n: units, k: units, a: dz, lda: units,
          b: recurrentStorage.base, ldb: units, c: dh, ldc: units, beta: 1)
      }
      let dKernel = TensorStorage(uninitializedCount: features * units)
      Tensor.gemm(
        transposeA: true, transposeB: false, m: features, n: units, k: rows, a: xs.base,
        lda: features, b: dZ.base, ldb: units, c: dKernel.base, ldc: units)
      let dRecurrent = TensorStorage(uninitializedCount: units * units)
      Tensor.gemm(
        transposeA: true, transposeB: false, m: units, n: units, k: rows, a: hs.base,
        lda: units, b: dZ.base, ldb: units, c: dRecurrent.base, ldc: units)
      let dxs = TensorStorage(uninitializedCount: rows * features)
      Tensor.gemm(
        transposeA: false, transposeB: true, m: rows, n: features, k: units, a: dZ.base,
        lda: units, b: kernelStorage.base, ldb: units, c: dxs.base, ldc: features)
      var grads: [Tensor?] = [
        Tensor(shape: [batch, steps, features], storage: layout.inputGradient(dxs)),
        Tensor(shape: [features, units], storage: dKernel),
        Tensor(shape: [units, units], storage: dRecurrent),
        Tensor(shape: [batch, units], storage: dhStorage),
      ]
      if hasBias {
        let dBias = TensorStorage(repeating: 0, count: units)
        for r in 0..<rows {
          let row = dZ.base + r * units
          for j in 0..<units { dBias.base[j] += row[j] }
        }
        grads.append(Tensor(shape: [units], storage: dBias))
      }
      return grads
    }
    let (output, states) = layout.unpack(whole, states: 1)
    return (output, states[0])
  }
}
