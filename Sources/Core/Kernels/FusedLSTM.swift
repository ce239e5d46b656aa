import CKernels

/// A whole LSTM layer (tanh candidate and output, sigmoid gates, Keras's gate order i, f,
/// c, o) over a sequence as one tape operation, the standard CPU recipe:
///
/// * the input projection of every step is one product `[steps × batch, features] ·
///   kernel`, into a time-major buffer of pre-activations;
/// * each step adds one `[batch, units] · recurrentKernel` product onto its block and runs
///   the gate arithmetic in two passes around the vector exp kernel;
/// * the backward pass walks the steps once in reverse, then forms the kernel, recurrent
///   kernel and bias gradients of all steps as one product (or sum) each.
///
/// Buffers are allocated once per call, none per step. A `[batch, steps]` mask of 0 and 1
/// keeps the states over masked steps and repeats the previous output there (zeros with
/// `zeroOutputForMask`), as Keras's loop does.
package enum FusedLSTM {
  /// The output (`[batch, steps, units]` with `returnSequences`, else `[batch, units]`)
  /// and the final `h` and `c`, differentiable with respect to `x`, the weights and the
  /// initial states.
  package static func run(
    _ x: Tensor, kernel: Tensor, recurrentKernel: Tensor, bias: Tensor?, h0: Tensor, c0: Tensor,
    mask: Tensor?, goBackwards: Bool, returnSequences: Bool, zeroOutputForMask: Bool
  ) -> (output: Tensor, h: Tensor, c: Tensor) {
    let layout = RecurrentLayout(
      x, units: recurrentKernel.shape[0], goBackwards: goBackwards,
      returnSequences: returnSequences, zeroOutputForMask: zeroOutputForMask)
    let (batch, steps, features, units) = (
      layout.batch, layout.steps, layout.features, layout.units
    )
    let (rows, state, width) = (layout.rows, layout.state, 4 * units)
    let xs = layout.timeMajor(x)
    let keep = layout.keepFlags(mask)

    // Pre-activations of every step: x · kernel + bias, then + h · recurrent per step.
    let gates = TensorStorage(uninitializedCount: rows * width)
    Tensor.gemm(
      transposeA: false, transposeB: false, m: rows, n: width, k: features,
      a: xs.base, lda: features, b: kernel.storage.base, ldb: width, c: gates.base, ldc: width)
    if let bias {
      let bb = bias.storage.base
      for r in 0..<rows {
        let row = gates.base + r * width
        for j in 0..<width { row[j] += bb[j] }
      }
    }
    // h and c before each step and after the last: [steps + 1, batch, units].
    let hs = TensorStorage(uninitializedCount: (steps + 1) * state)
    let cs = TensorStorage(uninitializedCount: (steps + 1) * state)
    hs.base.update(from: h0.storage.base, count: state)
    cs.base.update(from: c0.storage.base, count: state)
    let tanhC = TensorStorage(uninitializedCount: rows * units)
    let outs = TensorStorage(repeating: 0, count: (steps + 1) * state)  // out_{-1} = 0
    let scratch = UnsafeMutablePointer<Float>.allocate(capacity: Swift.max(batch * width, 1))
    defer { scratch.deallocate() }
    let recurrent = recurrentKernel.storage.base

    for k in 0..<steps {
      let z = gates.base + k * batch * width
      Tensor.gemm(
        transposeA: false, transposeB: false, m: batch, n: width, k: units,
        a: hs.base + k * state, lda: units, b: recurrent, ldb: width, c: z, ldc: width, beta: 1)
      activateGates(z, scratch, batch: batch, units: units)
      let hPrev = hs.base + k * state
      let cPrev = cs.base + k * state
      let hNext = hs.base + (k + 1) * state
      let cNext = cs.base + (k + 1) * state
      let th = tanhC.base + k * state
      for b in 0..<batch {
        let g = z + b * width
        for u in 0..<units {
          cNext[b * units + u] = g[units + u] * cPrev[b * units + u] + g[u] * g[2 * units + u]
        }
      }
      th.update(from: cNext, count: state)
      RecurrentActivations.tanh(th, rows: 1, columns: state, stride: state, scratch: scratch)
      let outPrev = outs.base + k * state
      let out = outs.base + (k + 1) * state
      for b in 0..<batch {
        let g = z + b * width
        let kept = keep?[k * batch + b] ?? true
        for u in 0..<units {
          let i = b * units + u
          if kept {
            let h = g[3 * units + u] * th[i]
            hNext[i] = h
            out[i] = h
          } else {
            hNext[i] = hPrev[i]
            cNext[i] = cPrev[i]
            out[i] = zeroOutputForMask ? 0 : outPrev[i]
          }
        }
      }
    }

    // The outputs, batch-major, then h and c, in one storage the tape records once.
    let packed = layout.pack(
      outputs: outs.base, finals: [hs.base + steps * state, cs.base + steps * state])
    var inputs = [x, kernel, recurrentKernel, h0, c0]
    if let bias { inputs.append(bias) }
    let hasBias = bias != nil
    // The backward pass reads the weights as they were: hold their storage.
    let kernelStorage = kernel.storage
    let recurrentStorage = recurrentKernel.storage
    let whole = Tensor(shape: [layout.outputCount + 2 * state], storage: packed).recorded(
      from: inputs
    ) { grad in
      let g = grad.storage.base
      // The gradients of h and c after the current step, becoming those of h0 and c0.
      let dhStorage = TensorStorage(uninitializedCount: state)
      let dcStorage = TensorStorage(uninitializedCount: state)
      let dh = dhStorage.base
      let dc = dcStorage.base
      dh.update(from: g + layout.outputCount, count: state)
      dc.update(from: g + layout.outputCount + state, count: state)
      // What a masked step passes to the previous output, and the gradient reaching each
      // step's output.
      let work = UnsafeMutablePointer<Float>.allocate(capacity: Swift.max(2 * state, 1))
      defer { work.deallocate() }
      let carry = work
      let gOut = work + state
      carry.update(repeating: 0, count: state)
      let dZ = TensorStorage(repeating: 0, count: rows * width)
      for k in (0..<steps).reversed() {
        layout.outputGradient(g, step: k, carry: carry, into: gOut)
        let z = gates.base + k * batch * width
        let dz = dZ.base + k * batch * width
        let cPrev = cs.base + k * state
        let th = tanhC.base + k * state
        for b in 0..<batch {
          if !(keep?[k * batch + b] ?? true) {
            // out_k repeats out_{k-1}; the states pass through unchanged.
            if !zeroOutputForMask {
              for u in 0..<units { carry[b * units + u] = gOut[b * units + u] }
            }
            continue
          }
          let a = z + b * width
          let d = dz + b * width
          for u in 0..<units {
            let i = b * units + u
            let (gi, gf, gc, go) = (a[u], a[units + u], a[2 * units + u], a[3 * units + u])
            let dhNew = dh[i] + gOut[i]
            let t = th[i]
            let dcTotal = dc[i] + dhNew * go * (1 - t * t)
            d[u] = dcTotal * gc * gi * (1 - gi)
            d[units + u] = dcTotal * cPrev[i] * gf * (1 - gf)
            d[2 * units + u] = dcTotal * gi * (1 - gc * gc)
            d[3 * units + u] = dhNew * t * go * (1 - go)
            dc[i] = dcTotal * gf
            dh[i] = 0
          }
        }
        // h_{k-1} feeds every gate through the recurrent kernel: dh += dZ_k · Rᵀ.
        Tensor.gemm(
          transposeA: false, transposeB: true, m: batch, n: units, k: width, a: dz, lda: width,
          b: recurrentStorage.base, ldb: width, c: dh, ldc: units, beta: 1)
      }
      let dKernel = TensorStorage(uninitializedCount: features * width)
      Tensor.gemm(
        transposeA: true, transposeB: false, m: features, n: width, k: rows, a: xs.base,
        lda: features, b: dZ.base, ldb: width, c: dKernel.base, ldc: width)
      let dRecurrent = TensorStorage(uninitializedCount: units * width)
      Tensor.gemm(
        transposeA: true, transposeB: false, m: units, n: width, k: rows, a: hs.base, lda: units,
        b: dZ.base, ldb: width, c: dRecurrent.base, ldc: width)
      let dxs = TensorStorage(uninitializedCount: rows * features)
      Tensor.gemm(
        transposeA: false, transposeB: true, m: rows, n: features, k: width, a: dZ.base,
        lda: width, b: kernelStorage.base, ldb: width, c: dxs.base, ldc: features)
      var grads: [Tensor?] = [
        Tensor(shape: [batch, steps, features], storage: layout.inputGradient(dxs)),
        Tensor(shape: [features, width], storage: dKernel),
        Tensor(shape: [units, width], storage: dRecurrent),
        Tensor(shape: [batch, units], storage: dhStorage),
        Tensor(shape: [batch, units], storage: dcStorage),
      ]
      if hasBias {
        let dBias = TensorStorage(repeating: 0, count: width)
        for r in 0..<rows {
          let row = dZ.base + r * width
          for j in 0..<width { dBias.base[j] += row[j] }
        }
        grads.append(Tensor(shape: [width], storage: dBias))
      }
      return grads
    }
    let (output, states) = layout.unpack(whole, states: 2)
    return (output, states[0], states[1])
  }

  /// Sigmoid on the i, f, o blocks and tanh on the candidate block of `batch` rows of
  /// `4 × units` pre-activations, in place, around one call of the vector exp kernel.
  private static func activateGates(
    _ z: UnsafeMutablePointer<Float>, _ scratch: UnsafeMutablePointer<Float>, batch: Int,
    units: Int
  ) {
    let width = 4 * units
    for b in 0..<batch {
      let row = z + b * width
      let e = scratch + b * width
      for j in 0..<width {
        e[j] = (j >= 2 * units && j < 3 * units) ? -2 * Swift.abs(row[j]) : -row[j]
      }
    }
    sk_exp(scratch, scratch, batch * width)
    for b in 0..<batch {
      let row = z + b * width
      let e = scratch + b * width
      for j in 0..<width {
        if j >= 2 * units && j < 3 * units {
          row[j] = RecurrentActivations.tanh(row[j], fromExp: e[j])
        } else {
          row[j] = 1 / (1 + e[j])
        }
      }
    }
  }
}
