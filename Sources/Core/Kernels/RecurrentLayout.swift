import CKernels

/// What the fused recurrent kernels (`FusedLSTM`, `FusedGRU`, `FusedSimpleRNN`) share:
/// the sizes of one call, the time-major layout of the sequence in processing order (the
/// reverse of time with `goBackwards`), the mask's keep flags, the packing of the output
/// and the final states into the one storage the tape records, and the way back for the
/// gradients.
struct RecurrentLayout {
  let batch: Int
  let steps: Int
  let features: Int
  let units: Int
  let goBackwards: Bool
  let returnSequences: Bool
  let zeroOutputForMask: Bool

  /// Rows of the time-major buffers: one per step and sample.
  var rows: Int { steps * batch }
  /// Elements of one state, `[batch, units]`.
  var state: Int { batch * units }
  /// Elements of the output: every step's, or the last one's.
  var outputCount: Int { returnSequences ? batch * steps * units : state }

  init(
    _ x: Tensor, units: Int, goBackwards: Bool, returnSequences: Bool, zeroOutputForMask: Bool
  ) {
    (batch, steps, features) = (x.shape[0], x.shape[1], x.shape[2])
    self.units = units
    self.goBackwards = goBackwards
    self.returnSequences = returnSequences
    self.zeroOutputForMask = zeroOutputForMask
  }

  /// The time index of processing step `k`.
  func time(_ k: Int) -> Int { goBackwards ? steps - 1 - k : k }

  /// `x` (`[batch, steps, features]`) as `[steps, batch, features]` in processing order.
  func timeMajor(_ x: Tensor) -> TensorStorage {
    let xs = TensorStorage(uninitializedCount: rows * features)
    let source = x.storage.base
    for k in 0..<steps {
      let t = time(k)
      for b in 0..<batch {
        (xs.base + (k * batch + b) * features).update(
          from: source + (b * steps + t) * features, count: features)
      }
    }
    return xs
  }

  /// Whether each (step, sample) is real, time-major in processing order; nil without a
  /// mask.
  func keepFlags(_ mask: Tensor?) -> [Bool]? {
    guard let mask else { return nil }
    var flags = [Bool](repeating: true, count: rows)
    let m = mask.storage.base
    for k in 0..<steps {
      for b in 0..<batch { flags[k * batch + b] = m[b * steps + time(k)] != 0 }
    }
    return flags
  }

  /// The output (batch-major, from the time-major `outs` whose block `k + 1` is step
  /// `k`'s) followed by `finals`, each one state long.
  func pack(outputs outs: UnsafePointer<Float>, finals: [UnsafePointer<Float>]) -> TensorStorage {
    let packed = TensorStorage(uninitializedCount: outputCount + finals.count * state)
    if returnSequences {
      for k in 0..<steps {
        for b in 0..<batch {
          (packed.base + (b * steps + k) * units).update(
            from: outs + (k + 1) * state + b * units, count: units)
        }
      }
    } else {
      packed.base.update(from: outs + steps * state, count: state)
    }
    for (i, final) in finals.enumerated() {
      (packed.base + outputCount + i * state).update(from: final, count: state)
    }
    return packed
  }

  /// The output and the final states, sliced (on the tape) from the packed result.
  func unpack(_ whole: Tensor, states count: Int) -> (output: Tensor, states: [Tensor]) {
    let output = whole.slice(0..<outputCount).reshaped(
      to: returnSequences ? [batch, steps, units] : [batch, units])
    let states = (0..<count).map { i in
      whole.slice((outputCount + i * state)..<(outputCount + (i + 1) * state)).reshaped(
        to: [batch, units])
    }
    return (output, states)
  }

  /// The gradient reaching step `k`'s output: what a masked later step carried back plus
  /// the packed gradient `g`'s share; `carry` is cleared for the step's own use.
  func outputGradient(
    _ g: UnsafePointer<Float>, step k: Int, carry: UnsafeMutablePointer<Float>,
    into gOut: UnsafeMutablePointer<Float>
  ) {
    gOut.update(from: carry, count: state)
    if returnSequences {
      for b in 0..<batch {
        for u in 0..<units { gOut[b * units + u] += g[(b * steps + k) * units + u] }
      }
    } else if k == steps - 1 {
      for i in 0..<state { gOut[i] += g[i] }
    }
    carry.update(repeating: 0, count: state)
  }

  /// The gradient of `x` (`[batch, steps, features]`) from its time-major form.
  func inputGradient(_ dxs: TensorStorage) -> TensorStorage {
    let dx = TensorStorage(uninitializedCount: batch * steps * features)
    for k in 0..<steps {
      let t = time(k)
      for b in 0..<batch {
        (dx.base + (b * steps + t) * features).update(
          from: dxs.base + (k * batch + b) * features, count: features)
      }
    }
    return dx
  }
}

/// The activations of the fused recurrent kernels, on blocks of raw buffers around the
/// vector exp kernel: a pass forming exp's argument, the kernel, a pass finishing.
enum RecurrentActivations {
  /// Sigmoid of a `rows × columns` block with row `stride`, in place; `scratch` holds
  /// `rows × columns` values.
  static func sigmoid(
    _ base: UnsafeMutablePointer<Float>, rows: Int, columns: Int, stride: Int,
    scratch: UnsafeMutablePointer<Float>
  ) {
    for r in 0..<rows {
      for j in 0..<columns { scratch[r * columns + j] = -base[r * stride + j] }
    }
    sk_exp(scratch, scratch, rows * columns)
    for r in 0..<rows {
      for j in 0..<columns { base[r * stride + j] = 1 / (1 + scratch[r * columns + j]) }
    }
  }

  /// Tanh of a `rows × columns` block with row `stride`, in place.
  static func tanh(
    _ base: UnsafeMutablePointer<Float>, rows: Int, columns: Int, stride: Int,
    scratch: UnsafeMutablePointer<Float>
  ) {
    for r in 0..<rows {
      for j in 0..<columns { scratch[r * columns + j] = -2 * Swift.abs(base[r * stride + j]) }
    }
    sk_exp(scratch, scratch, rows * columns)
    for r in 0..<rows {
      for j in 0..<columns {
        base[r * stride + j] = tanh(base[r * stride + j], fromExp: scratch[r * columns + j])
      }
    }
  }

  /// `tanh(x)` given `e = exp(-2|x|)`, with a series for `|x| < 0.1` where the direct
  /// formula would cancel (as the tensor activation).
  @inline(__always)
  static func tanh(_ x: Float, fromExp e: Float) -> Float {
    let a = Swift.abs(x)
    let a2 = a * a
    let value =
      a < 0.1
      ? a * (1 + a2 * (-1.0 / 3 + a2 * (2.0 / 15 + a2 * (-17.0 / 315)))) : (1 - e) / (1 + e)
    return Float(signOf: x, magnitudeOf: value)
  }
}
