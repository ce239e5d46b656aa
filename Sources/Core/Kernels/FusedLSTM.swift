import CKernels

extension Tensor {
  /// A whole LSTM sequence (tanh activation, sigmoid gates, gate order i, f, c̃, o) as one
  /// tape entry, the standard CPU recipe: the input projection of every time step is one
  /// sgemm, each step adds one `[batch, 4·units]` product with the recurrent kernel and
  /// runs the gate arithmetic in one element-wise pass; the backward pass walks the steps
  /// back with one product per step and then computes each weight gradient of all steps
  /// as one product. Buffers are time-major and allocated once per call, not per step.
  ///
  /// - Parameters:
  ///   - x: `[batch, steps, features]`.
  ///   - kernel: `[features, 4·units]`; `recurrentKernel`: `[units, 4·units]`; `bias`:
  ///     `[4·units]` or nil.
  ///   - initialH, initialC: `[batch, units]` starting states, treated as constants (no
  ///     gradient flows into them); zeros when nil.
  ///   - goBackwards: process the steps from the last to the first (outputs come in
  ///     processing order, as Keras's).
  ///   - returnSequences: return every step's `h` (`[batch, steps, units]`) rather than the
  ///     last (`[batch, units]`).
  /// - Returns: the output and the final `h` and `c` (both constants for the tape).
  package static func fusedLSTMSequence(
    _ x: Tensor, kernel: Tensor, recurrentKernel: Tensor, bias: Tensor?, initialH: Tensor?,
    initialC: Tensor?, goBackwards: Bool, returnSequences: Bool
  ) -> (output: Tensor, h: Tensor, c: Tensor) {
    let (batch, steps, features) = (x.shape[0], x.shape[1], x.shape[2])
    let units = recurrentKernel.shape[0]
    let width = 4 * units
    precondition(
      kernel.shape == [features, width] && recurrentKernel.shape == [units, width]
        && (bias == nil || bias!.shape == [width]),
      "fusedLSTMSequence: kernel \(kernel.shape), recurrent kernel \(recurrentKernel.shape) and bias \(bias?.shape ?? []) do not fit \(x.shape)"
    )
    let stepSize = batch * units
    // Step k reads input time step time(k); all buffers below are in processing order.
    func time(_ k: Int) -> Int { goBackwards ? steps - 1 - k : k }
    let inputs = TensorStorage(uninitializedCount: steps * batch * features)
    for k in 0..<steps {
      let t = time(k)
      for b in 0..<batch {
        (inputs.base + (k * batch + b) * features).update(
          from: x.storage.base + (b * steps + t) * features, count: features)
      }
    }
    // The gates of every step: x·W + b for all steps at once, then + h₋₁·U per step.
    let gates = TensorStorage(uninitializedCount: steps * batch * width)
    if let bias {
      for row in 0..<(steps * batch) {
        (gates.base + row * width).update(from: bias.storage.base, count: width)
      }
    }
    gemm(
      transposeA: false, transposeB: false, m: steps * batch, n: width, k: features,
      a: inputs.base, lda: features, b: kernel.storage.base, ldb: width, c: gates.base,
      ldc: width, beta: bias == nil ? 0 : 1)
    // Slot 0 holds the initial state, slot k + 1 the state after step k: slots 0..<steps
    // of `hidden` are then the previous states the recurrent kernel's gradient needs.
    let hidden = TensorStorage(uninitializedCount: (steps + 1) * stepSize)
    let cells = TensorStorage(uninitializedCount: (steps + 1) * stepSize)
    for (slot, initial) in [(hidden, initialH), (cells, initialC)] {
      if let initial {
        slot.base.update(from: initial.storage.base, count: stepSize)
      } else {
        slot.base.update(repeating: 0, count: stepSize)
      }
    }
    let tanhCells = TensorStorage(uninitializedCount: steps * stepSize)
    let scratch = TensorStorage(uninitializedCount: batch * width)
    let parts = recurrenceParts(batch: batch)
    // Samples are independent through the recurrence: each part of the batch runs all the
    // steps on a core of its own, single-threaded products, no hand-off per step.
    ParallelChunks.forEachChunk(parts.count) { part, _ in
      let rows = parts[part]
      let count = rows.count
      for k in 0..<steps {
        let z = gates.base + (k * batch + rows.lowerBound) * width
        let state = k * stepSize + rows.lowerBound * units
        gemm(
          transposeA: false, transposeB: false, m: count, n: width, k: units,
          a: hidden.base + state, lda: units, b: recurrentKernel.storage.base, ldb: width,
          c: z, ldc: width, beta: 1, singleThreaded: parts.count > 1)
        sk_lstm_step_forward(
          z, cells.base + state, cells.base + state + stepSize, tanhCells.base + state,
          hidden.base + state + stepSize, units, count, units,
          scratch.base + rows.lowerBound * width)
      }
    }
    let finalH = TensorStorage(uninitializedCount: stepSize)
    finalH.base.update(from: hidden.base + steps * stepSize, count: stepSize)
    let finalC = TensorStorage(uninitializedCount: stepSize)
    finalC.base.update(from: cells.base + steps * stepSize, count: stepSize)
    let h = Tensor(shape: [batch, units], storage: finalH)
    let c = Tensor(shape: [batch, units], storage: finalC)
    var output: Tensor
    if returnSequences {
      let sequence = TensorStorage(uninitializedCount: batch * steps * units)
      for k in 0..<steps {
        for b in 0..<batch {
          (sequence.base + (b * steps + k) * units).update(
            from: hidden.base + (k + 1) * stepSize + b * units, count: units)
        }
      }
      output = Tensor(shape: [batch, steps, units], storage: sequence)
    } else {
      let last = TensorStorage(uninitializedCount: stepSize)
      last.base.update(from: finalH.base, count: stepSize)
      output = Tensor(shape: [batch, units], storage: last)
    }
    guard let tape = TapeContext.current else { return (output, h, c) }
    let needX = x.trace.tapeID == tape.id
    let needKernel = kernel.trace.tapeID == tape.id
    let needRecurrent = recurrentKernel.trace.tapeID == tape.id
    let needBias = bias.map { $0.trace.tapeID == tape.id } ?? false
    guard needX || needKernel || needRecurrent || needBias else { return (output, h, c) }
    let (kernelValues, recurrentValues) = (kernel.storage, recurrentKernel.storage)
    let recordedInputs = [x, kernel, recurrentKernel] + (bias.map { [$0] } ?? [])
    output = output.recorded(from: recordedInputs) { g in
      let dz = TensorStorage(uninitializedCount: steps * batch * width)
      let dh = TensorStorage(uninitializedCount: stepSize)
      let dhLater = TensorStorage(repeating: 0, count: stepSize)
      let dc = TensorStorage(repeating: 0, count: stepSize)
      ParallelChunks.forEachChunk(parts.count) { part, _ in
        let rows = parts[part]
        let (count, first) = (rows.count, rows.lowerBound * units)
        for k in stride(from: steps - 1, through: 0, by: -1) {
          if returnSequences {
            for b in rows {
              let from = g.storage.base + (b * steps + k) * units
              let later = dhLater.base + b * units
              let into = dh.base + b * units
              for j in 0..<units { into[j] = from[j] + later[j] }
            }
          } else if k == steps - 1 {
            (dh.base + first).update(from: g.storage.base + first, count: count * units)
          } else {
            (dh.base + first).update(from: dhLater.base + first, count: count * units)
          }
          let dzStep = dz.base + (k * batch + rows.lowerBound) * width
          let state = k * stepSize + first
          sk_lstm_step_backward(
            gates.base + (k * batch + rows.lowerBound) * width, cells.base + state,
            tanhCells.base + state, dh.base + first, dc.base + first, dzStep, count, units)
          if k > 0 {
            gemm(
              transposeA: false, transposeB: true, m: count, n: units, k: width, a: dzStep,
              lda: width, b: recurrentValues.base, ldb: width, c: dhLater.base + first,
              ldc: units, singleThreaded: parts.count > 1)
          }
        }
      }
      let rows = steps * batch
      var grads: [Tensor?] = [nil, nil, nil]
      if needX {
        let dInputs = TensorStorage(uninitializedCount: rows * features)
        gemm(
          transposeA: false, transposeB: true, m: rows, n: features, k: width, a: dz.base,
          lda: width, b: kernelValues.base, ldb: width, c: dInputs.base, ldc: features)
        let dx = TensorStorage(uninitializedCount: batch * steps * features)
        for k in 0..<steps {
          let t = time(k)
          for b in 0..<batch {
            (dx.base + (b * steps + t) * features).update(
              from: dInputs.base + (k * batch + b) * features, count: features)
          }
        }
        grads[0] = Tensor(shape: [batch, steps, features], storage: dx)
      }
      if needKernel {
        let dKernel = TensorStorage(uninitializedCount: features * width)
        gemm(
          transposeA: true, transposeB: false, m: features, n: width, k: rows, a: inputs.base,
          lda: features, b: dz.base, ldb: width, c: dKernel.base, ldc: width)
        grads[1] = Tensor(shape: [features, width], storage: dKernel)
      }
      if needRecurrent {
        let dRecurrent = TensorStorage(uninitializedCount: units * width)
        gemm(
          transposeA: true, transposeB: false, m: units, n: width, k: rows, a: hidden.base,
          lda: units, b: dz.base, ldb: width, c: dRecurrent.base, ldc: width)
        grads[2] = Tensor(shape: [units, width], storage: dRecurrent)
      }
      if bias != nil {
        if needBias {
          let dBias = TensorStorage(uninitializedCount: width)
          sk_sum_rows(dz.base, dBias.base, rows, width)
          grads.append(Tensor(shape: [width], storage: dBias))
        } else {
          grads.append(nil)
        }
      }
      return grads
    }
    return (output, h, c)
  }

  /// The batch rows each core runs through the recurrence: one part per core as long as
  /// each keeps at least 16 rows. Fixed by the shapes and the machine's core count, never
  /// by timing, so a run's results repeat.
  static func recurrenceParts(batch: Int) -> [Range<Int>] {
    let count = Swift.max(1, Swift.min(ParallelChunks.cores, batch / 16))
    let size = (batch + count - 1) / count
    return stride(from: 0, to: batch, by: size).map { $0..<Swift.min($0 + size, batch) }
  }
}
