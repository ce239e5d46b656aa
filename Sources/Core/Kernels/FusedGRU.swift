import CKernels

/// A whole GRU layer (sigmoid update and reset gates, tanh candidate, Keras's gate order
/// z, r, h) over a sequence as one tape operation, on the same recipe as `FusedLSTM`:
/// one product for the input projection of every step, per step one `[batch, 3 × units]`
/// product for the recurrence (with `resetAfter`; without it, a `[batch, 2 × units]`
/// product and one for the reset-scaled candidate), gate arithmetic around the vector exp
/// kernel, and one product each for the weight gradients of all steps. Masks keep the
/// state over masked steps and repeat the previous output (zeros with
/// `zeroOutputForMask`).
package enum FusedGRU {
  /// The output (`[batch, steps, units]` with `returnSequences`, else `[batch, units]`)
  /// and the final state, differentiable with respect to `x`, the weights and `h0`. The
  /// bias is `[2, 3 × units]` (input and recurrent rows) with `resetAfter`, else `[3 ×
  /// units]`.
  package static func run(
    _ x: Tensor, kernel: Tensor, recurrentKernel: Tensor, bias: Tensor?, h0: Tensor,
    resetAfter: Bool, mask: Tensor?, goBackwards: Bool, returnSequences: Bool,
    zeroOutputForMask: Bool
  ) -> (output: Tensor, h: Tensor) {
    let layout = RecurrentLayout(
      x, units: recurrentKernel.shape[0], goBackwards: goBackwards,
      returnSequences: returnSequences, zeroOutputForMask: zeroOutputForMask)
    let (batch, steps, features, units) = (
      layout.batch, layout.steps, layout.features, layout.units
    )
    let (rows, state, width) = (layout.rows, layout.state, 3 * units)
    let xs = layout.timeMajor(x)
    let keep = layout.keepFlags(mask)

    // x · kernel + input bias for every step: the z, r and candidate pre-activations.
    let projected = TensorStorage(uninitializedCount: rows * width)
    Tensor.gemm(
      transposeA: false, transposeB: false, m: rows, n: width, k: features,
      a: xs.base, lda: features, b: kernel.storage.base, ldb: width, c: projected.base,
      ldc: width)
    let biasBase = bias?.storage.base
    if let biasBase {
      for r in 0..<rows {
        let row = projected.base + r * width
        for j in 0..<width { row[j] += biasBase[j] }
      }
    }
    let recurrentBias = resetAfter ? biasBase.map { $0 + width } : nil
    let recurrent = recurrentKernel.storage.base
    // Per step: z, r, candidate (activated) and the recurrent candidate term: with
    // resetAfter `h₋₁ · U_h + b_h` (before r scales it), else `r ⊙ h₋₁` (what U_h
    // multiplies).
    let gates = TensorStorage(uninitializedCount: rows * width)
    let candidateInput = TensorStorage(uninitializedCount: rows * units)
    let hs = TensorStorage(uninitializedCount: (steps + 1) * state)
    hs.base.update(from: h0.storage.base, count: state)
    let outs = TensorStorage(repeating: 0, count: (steps + 1) * state)
    let inner = UnsafeMutablePointer<Float>.allocate(capacity: Swift.max(batch * width, 1))
    let scratch = UnsafeMutablePointer<Float>.allocate(capacity: Swift.max(batch * width, 1))
    defer {
      inner.deallocate()
      scratch.deallocate()
    }

    for k in 0..<steps {
      let hPrev = hs.base + k * state
      let hNext = hs.base + (k + 1) * state
      let g = gates.base + k * batch * width
      let p = projected.base + k * batch * width
      let ci = candidateInput.base + k * state
      // h₋₁ · U: all three blocks with resetAfter, else z and r only.
      let recurrentWidth = resetAfter ? width : 2 * units
      Tensor.gemm(
        transposeA: false, transposeB: false, m: batch, n: recurrentWidth, k: units,
        a: hPrev, lda: units, b: recurrent, ldb: width, c: inner, ldc: width)
      for b in 0..<batch {
        for j in 0..<(2 * units) {
          var v = p[b * width + j] + inner[b * width + j]
          if let recurrentBias { v += recurrentBias[j] }
          g[b * width + j] = v
        }
      }
      RecurrentActivations.sigmoid(
        g, rows: batch, columns: 2 * units, stride: width, scratch: scratch)
      if resetAfter {
        for b in 0..<batch {
          for u in 0..<units {
            var v = inner[b * width + 2 * units + u]
            if let recurrentBias { v += recurrentBias[2 * units + u] }
            ci[b * units + u] = v
            g[b * width + 2 * units + u] =
              p[b * width + 2 * units + u] + g[b * width + units + u] * v
          }
        }
      } else {
        for b in 0..<batch {
          for u in 0..<units { ci[b * units + u] = g[b * width + units + u] * hPrev[b * units + u] }
        }
        // (r ⊙ h₋₁) · U_h into the candidate block, onto x · W_h + b_h.
        for b in 0..<batch {
          (g + b * width + 2 * units).update(from: p + b * width + 2 * units, count: units)
        }
        Tensor.gemm(
          transposeA: false, transposeB: false, m: batch, n: units, k: units,
          a: ci, lda: units, b: recurrent + 2 * units, ldb: width, c: g + 2 * units,
          ldc: width, beta: 1)
      }
      RecurrentActivations.tanh(
        g + 2 * units, rows: batch, columns: units, stride: width, scratch: scratch)
      let outPrev = outs.base + k * state
      let out = outs.base + (k + 1) * state
      for b in 0..<batch {
        let kept = keep?[k * batch + b] ?? true
        for u in 0..<units {
          let i = b * units + u
          if kept {
            let z = g[b * width + u]
            let h = z * hPrev[i] + (1 - z) * g[b * width + 2 * units + u]
            hNext[i] = h
            out[i] = h
          } else {
            hNext[i] = hPrev[i]
            out[i] = zeroOutputForMask ? 0 : outPrev[i]
          }
        }
      }
    }

    let packed = layout.pack(outputs: outs.base, finals: [hs.base + steps * state])
    var inputs = [x, kernel, recurrentKernel, h0]
    if let bias { inputs.append(bias) }
    let hasBias = bias != nil
    let kernelStorage = kernel.storage
    let recurrentStorage = recurrentKernel.storage
    let whole = Tensor(shape: [layout.outputCount + state], storage: packed).recorded(from: inputs)
    {
      grad in
      let g = grad.storage.base
      let recurrent = recurrentStorage.base
      // The gradient of h after the current step, becoming that of h0.
      let dhStorage = TensorStorage(uninitializedCount: state)
      let dh = dhStorage.base
      dh.update(from: g + layout.outputCount, count: state)
      // What a masked step passes to the previous output, and the gradient reaching each
      // step's output.
      let work = UnsafeMutablePointer<Float>.allocate(capacity: Swift.max(2 * state, 1))
      defer { work.deallocate() }
      let carry = work
      let gOut = work + state
      carry.update(repeating: 0, count: state)
      // Gradients of the input projection and of the recurrent products, every step.
      let dProjected = TensorStorage(repeating: 0, count: rows * width)
      let dInner = TensorStorage(repeating: 0, count: rows * width)
      let dci = UnsafeMutablePointer<Float>.allocate(capacity: Swift.max(state, 1))
      defer { dci.deallocate() }
      for k in (0..<steps).reversed() {
        layout.outputGradient(g, step: k, carry: carry, into: gOut)
        let a = gates.base + k * batch * width
        let ci = candidateInput.base + k * state
        let hPrev = hs.base + k * state
        let dp = dProjected.base + k * batch * width
        let di = dInner.base + k * batch * width
        for b in 0..<batch {
          let kept = keep?[k * batch + b] ?? true
          if !kept {
            if !zeroOutputForMask {
              for u in 0..<units { carry[b * units + u] = gOut[b * units + u] }
            }
            for u in 0..<units { dci[b * units + u] = 0 }
            continue
          }
          for u in 0..<units {
            let i = b * units + u
            let (z, r, c) = (
              a[b * width + u], a[b * width + units + u], a[b * width + 2 * units + u]
            )
            let dhNew = dh[i] + gOut[i]
            let dc = dhNew * (1 - z) * (1 - c * c)
            let dz = dhNew * (hPrev[i] - c) * z * (1 - z)
            dp[b * width + u] = dz
            di[b * width + u] = dz
            dp[b * width + 2 * units + u] = dc
            if resetAfter {
              let dr = dc * ci[i] * r * (1 - r)
              dp[b * width + units + u] = dr
              di[b * width + units + u] = dr
              di[b * width + 2 * units + u] = dc * r
            } else {
              di[b * width + 2 * units + u] = dc
            }
            dh[i] = dhNew * z
          }
        }
        if !resetAfter {
          // d(r ⊙ h₋₁) = dc · U_hᵀ, then r's and h₋₁'s shares.
          Tensor.gemm(
            transposeA: false, transposeB: true, m: batch, n: units, k: units,
            a: di + 2 * units, lda: width, b: recurrent + 2 * units, ldb: width, c: dci,
            ldc: units)
          for b in 0..<batch where keep?[k * batch + b] ?? true {
            for u in 0..<units {
              let i = b * units + u
              let r = a[b * width + units + u]
              let dr = dci[i] * hPrev[i] * r * (1 - r)
              dp[b * width + units + u] = dr
              di[b * width + units + u] = dr
              dh[i] += dci[i] * r
            }
          }
        }
        // h₋₁ feeds z and r (and, with resetAfter, the candidate) through U.
        Tensor.gemm(
          transposeA: false, transposeB: true, m: batch, n: units,
          k: resetAfter ? width : 2 * units, a: di, lda: width, b: recurrent, ldb: width,
          c: dh, ldc: units, beta: 1)
      }
      let dKernel = TensorStorage(uninitializedCount: features * width)
      Tensor.gemm(
        transposeA: true, transposeB: false, m: features, n: width, k: rows, a: xs.base,
        lda: features, b: dProjected.base, ldb: width, c: dKernel.base, ldc: width)
      let dRecurrent = TensorStorage(uninitializedCount: units * width)
      Tensor.gemm(
        transposeA: true, transposeB: false, m: units, n: 2 * units, k: rows, a: hs.base,
        lda: units, b: dInner.base, ldb: width, c: dRecurrent.base, ldc: width)
      Tensor.gemm(
        transposeA: true, transposeB: false, m: units, n: units, k: rows,
        a: resetAfter ? hs.base : candidateInput.base, lda: units,
        b: dInner.base + 2 * units, ldb: width, c: dRecurrent.base + 2 * units, ldc: width)
      let dxs = TensorStorage(uninitializedCount: rows * features)
      Tensor.gemm(
        transposeA: false, transposeB: true, m: rows, n: features, k: width,
        a: dProjected.base, lda: width, b: kernelStorage.base, ldb: width, c: dxs.base,
        ldc: features)
      var grads: [Tensor?] = [
        Tensor(shape: [batch, steps, features], storage: layout.inputGradient(dxs)),
        Tensor(shape: [features, width], storage: dKernel),
        Tensor(shape: [units, width], storage: dRecurrent),
        Tensor(shape: [batch, units], storage: dhStorage),
      ]
      if hasBias {
        let count = resetAfter ? 2 * width : width
        let dBias = TensorStorage(repeating: 0, count: count)
        for r in 0..<rows {
          let row = dProjected.base + r * width
          for j in 0..<width { dBias.base[j] += row[j] }
          if resetAfter {
            let innerRow = dInner.base + r * width
            for j in 0..<width { dBias.base[width + j] += innerRow[j] }
          }
        }
        grads.append(Tensor(shape: resetAfter ? [2, width] : [width], storage: dBias))
      }
      return grads
    }
    let (output, states) = layout.unpack(whole, states: 1)
    return (output, states[0])
  }
}
