import SwiftKerasCore

/// The cell of a fully connected recurrent layer, as `keras.layers.SimpleRNNCell`:
/// `h = activation(x · kernel + bias + h₋₁ · recurrentKernel)`.
///
/// ```swift
/// let cell = SimpleRNNCell(units: 8)
/// let layer = RNN(cell: cell)   // the same as SimpleRNN(8)
/// ```
public final class SimpleRNNCell: BaseRNNCell, ConfigInitializable, RecurrentCell {
  /// Creates the cell with Keras's defaults.
  public convenience init(
    units: Int, activation: ActivationFunction = .tanh, useBias: Bool = true,
    kernelInitializer: any Initializer = GlorotUniform(),
    recurrentInitializer: any Initializer = Orthogonal(),
    biasInitializer: any Initializer = Zeros(),
    kernelRegularizer: (any Regularizer)? = nil, recurrentRegularizer: (any Regularizer)? = nil,
    biasRegularizer: (any Regularizer)? = nil,
    kernelConstraint: (any Constraint)? = nil, recurrentConstraint: (any Constraint)? = nil,
    biasConstraint: (any Constraint)? = nil,
    dropout: Float = 0, recurrentDropout: Float = 0, seed: UInt64? = nil, name: String? = nil
  ) {
    self.init(name: name)
    setCellArguments(
      units: units, activation: activation, useBias: useBias,
      kernel: WeightOptions(kernelInitializer, kernelRegularizer, kernelConstraint),
      recurrent: WeightOptions(recurrentInitializer, recurrentRegularizer, recurrentConstraint),
      bias: WeightOptions(biasInitializer, biasRegularizer, biasConstraint),
      dropout: dropout, recurrentDropout: recurrentDropout, seed: seed)
  }

  /// One step: the new state is also the output.
  public func step(_ input: Tensor, states: [Tensor], training: Bool) throws -> (
    output: Tensor, states: [Tensor]
  ) {
    let (kernel, recurrent, bias) = try builtWeights()
    var z = matmul(droppedInput(input, training: training), kernel)
    if let bias { z = z + bias }
    z = z + matmul(droppedState(states[0], training: training), recurrent)
    let h = activation(z)
    return (h, [h])
  }
}

extension SimpleRNNCell {
  /// The whole sequence as one fused operation (see `FusedSimpleRNN`), for a tanh, relu or
  /// linear activation without recurrent dropout in training; nil otherwise, for the
  /// step-by-step loop. Input dropout, one mask per sequence, is applied to the sequence
  /// first.
  func fusedSequence(
    _ sequence: Tensor, states: [Tensor], mask: Tensor?, training: Bool, goBackwards: Bool,
    returnSequences: Bool, zeroOutputForMask: Bool
  ) throws -> (output: Tensor, states: [Tensor])? {
    let kind: FusedSimpleRNN.Activation
    switch activation {
    case .tanh: kind = .tanh
    case .relu: kind = .relu
    case .linear: kind = .linear
    default: return nil
    }
    guard !(training && recurrentDropout > 0), states.count == 1 else { return nil }
    let (kernel, recurrent, bias) = try builtWeights()
    let input = droppedSequence(sequence, training: training)
    let result = FusedSimpleRNN.run(
      input, kernel: kernel, recurrentKernel: recurrent, bias: bias, h0: states[0],
      activation: kind, mask: mask, goBackwards: goBackwards, returnSequences: returnSequences,
      zeroOutputForMask: zeroOutputForMask)
    return (result.output, [result.h])
  }
}
