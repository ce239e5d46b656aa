import SwiftKerasCore

/// The cell of a gated recurrent unit layer, as `keras.layers.GRUCell`. The kernels'
/// columns hold three gate blocks in Keras's order update, reset, candidate:
///
/// ```
/// z = σ(x·Wz + h₋₁·Uz + b),   r = σ(x·Wr + h₋₁·Ur + b)
/// resetAfter:  h̃ = tanh(x·Wh + bh + r ⊙ (h₋₁·Uh + b'h))   (bias [2, 3 × units])
/// otherwise:   h̃ = tanh(x·Wh + bh + (r ⊙ h₋₁)·Uh)          (bias [3 × units])
/// h = z ⊙ h₋₁ + (1 − z) ⊙ h̃
/// ```
///
/// ```swift
/// let layer = RNN(cell: GRUCell(units: 16))   // the same as GRU(16)
/// ```
public final class GRUCell: BaseRNNCell, ConfigInitializable, RecurrentCell {
  /// The activation of the update and reset gates.
  @Config public var recurrentActivation = ActivationFunction.sigmoid
  /// Whether the reset gate multiplies the recurrent product after it is computed (Keras 3's
  /// and cuDNN's default), with separate input and recurrent biases.
  @Config public var resetAfter = true

  override class var gates: Int { 3 }

  /// Creates the cell with Keras's defaults.
  public convenience init(
    units: Int, activation: ActivationFunction = .tanh,
    recurrentActivation: ActivationFunction = .sigmoid, useBias: Bool = true,
    kernelInitializer: any Initializer = GlorotUniform(),
    recurrentInitializer: any Initializer = Orthogonal(),
    biasInitializer: any Initializer = Zeros(),
    kernelRegularizer: (any Regularizer)? = nil, recurrentRegularizer: (any Regularizer)? = nil,
    biasRegularizer: (any Regularizer)? = nil,
    kernelConstraint: (any Constraint)? = nil, recurrentConstraint: (any Constraint)? = nil,
    biasConstraint: (any Constraint)? = nil,
    dropout: Float = 0, recurrentDropout: Float = 0, resetAfter: Bool = true,
    seed: UInt64? = nil, name: String? = nil
  ) {
    self.init(name: name)
    setCellArguments(
      units: units, activation: activation, useBias: useBias,
      kernel: WeightOptions(kernelInitializer, kernelRegularizer, kernelConstraint),
      recurrent: WeightOptions(recurrentInitializer, recurrentRegularizer, recurrentConstraint),
      bias: WeightOptions(biasInitializer, biasRegularizer, biasConstraint),
      dropout: dropout, recurrentDropout: recurrentDropout, seed: seed)
    self.recurrentActivation = recurrentActivation
    self.resetAfter = resetAfter
  }

  override var biasShape: [Int] { resetAfter ? [2, 3 * units] : [3 * units] }

  /// One GRU step: the new state is also the output.
  public func step(_ input: Tensor, states: [Tensor], training: Bool) throws -> (
    output: Tensor, states: [Tensor]
  ) {
    let (kernel, recurrent, bias) = try builtWeights()
    let u = units
    let previous = states[0]
    var x = matmul(droppedInput(input, training: training), kernel)
    var inputBias: Tensor?
    var recurrentBias: Tensor?
    if let bias {
      if resetAfter {
        inputBias = bias[0]
        recurrentBias = bias[1]
      } else {
        inputBias = bias
      }
    }
    if let inputBias { x = x + inputBias }
    let h = droppedState(previous, training: training)
    let z: Tensor
    let r: Tensor
    let candidate: Tensor
    if resetAfter {
      var inner = matmul(h, recurrent)
      if let recurrentBias { inner = inner + recurrentBias }
      z = recurrentActivation(x.slice(0..<u, alongAxis: 1) + inner.slice(0..<u, alongAxis: 1))
      r = recurrentActivation(
        x.slice(u..<(2 * u), alongAxis: 1) + inner.slice(u..<(2 * u), alongAxis: 1))
      candidate = activation(
        x.slice((2 * u)..<(3 * u), alongAxis: 1) + r * inner.slice((2 * u)..<(3 * u), alongAxis: 1))
    } else {
      let inner = matmul(h, recurrent.slice(0..<(2 * u), alongAxis: 1))
      z = recurrentActivation(x.slice(0..<u, alongAxis: 1) + inner.slice(0..<u, alongAxis: 1))
      r = recurrentActivation(
        x.slice(u..<(2 * u), alongAxis: 1) + inner.slice(u..<(2 * u), alongAxis: 1))
      candidate = activation(
        x.slice((2 * u)..<(3 * u), alongAxis: 1)
          + matmul(r * h, recurrent.slice((2 * u)..<(3 * u), alongAxis: 1)))
    }
    let output = z * previous + (1 - z) * candidate
    return (output, [output])
  }
}

extension GRUCell {
  /// The whole sequence as one fused operation (see `FusedGRU`), when the cell has
  /// Keras's default activations (tanh, sigmoid) and no recurrent dropout in training;
  /// nil otherwise, for the step-by-step loop. Input dropout, one mask per sequence, is
  /// applied to the sequence first.
  func fusedSequence(
    _ sequence: Tensor, states: [Tensor], mask: Tensor?, training: Bool, goBackwards: Bool,
    returnSequences: Bool, zeroOutputForMask: Bool
  ) throws -> (output: Tensor, states: [Tensor])? {
    guard activation == .tanh, recurrentActivation == .sigmoid,
      !(training && recurrentDropout > 0), states.count == 1
    else { return nil }
    let (kernel, recurrent, bias) = try builtWeights()
    let input = droppedSequence(sequence, training: training)
    let result = FusedGRU.run(
      input, kernel: kernel, recurrentKernel: recurrent, bias: bias, h0: states[0],
      resetAfter: resetAfter, mask: mask, goBackwards: goBackwards,
      returnSequences: returnSequences, zeroOutputForMask: zeroOutputForMask)
    return (result.output, [result.h])
  }
}
