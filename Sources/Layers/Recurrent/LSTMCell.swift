import SwiftKerasCore

/// The cell of a long short-term memory layer, as `keras.layers.LSTMCell`. The kernels'
/// columns hold four gate blocks in Keras's order input, forget, candidate, output:
///
/// ```
/// z = x · kernel + h₋₁ · recurrentKernel + bias        // [batch, 4 × units]
/// i, f, c̃, o = σ(z₀), σ(z₁), tanh(z₂), σ(z₃)
/// c = f ⊙ c₋₁ + i ⊙ c̃,   h = o ⊙ tanh(c)
/// ```
///
/// The states are `[h, c]`.
///
/// ```swift
/// let layer = RNN(cell: LSTMCell(units: 16))   // the same as LSTM(16)
/// ```
public final class LSTMCell: BaseRNNCell, ConfigInitializable, RecurrentCell {
  /// The activation of the gates.
  @Config public var recurrentActivation = ActivationFunction.sigmoid
  /// Whether the forget gate's bias starts at one (the rest from the bias initializer).
  @Config public var unitForgetBias = true

  override class var gates: Int { 4 }

  /// Creates the cell with Keras's defaults.
  public convenience init(
    units: Int, activation: ActivationFunction = .tanh,
    recurrentActivation: ActivationFunction = .sigmoid, useBias: Bool = true,
    kernelInitializer: any Initializer = GlorotUniform(),
    recurrentInitializer: any Initializer = Orthogonal(),
    biasInitializer: any Initializer = Zeros(), unitForgetBias: Bool = true,
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
    self.recurrentActivation = recurrentActivation
    self.unitForgetBias = unitForgetBias
  }

  /// Two states, `h` and `c`.
  public override var stateSizes: [Int] { [units, units] }

  override var biasInitializer: any Initializer {
    unitForgetBias
      ? ForgetGateBias(base: biasOptions.initializer, units: units) : super.biasInitializer
  }

  /// Whether this cell's arithmetic is what `Tensor.fusedLSTMSequence` computes: Keras's
  /// default activations, and no dropout in this call. (``BaseRNN`` further needs no
  /// mask, no returned states and initial states off the tape: the kernel's states carry
  /// no gradient.)
  func runsFused(training: Bool) -> Bool {
    activation == .tanh && recurrentActivation == .sigmoid
      && (!training || (dropout == 0 && recurrentDropout == 0))
  }

  public func step(_ input: Tensor, states: [Tensor], training: Bool) throws -> (
    output: Tensor, states: [Tensor]
  ) {
    let (kernel, recurrent, bias) = try builtWeights()
    var z = matmul(droppedInput(input, training: training), kernel)
    z = z + matmul(droppedState(states[0], training: training), recurrent)
    if let bias { z = z + bias }
    let u = units
    let i = recurrentActivation(z.slice(0..<u, alongAxis: 1))
    let f = recurrentActivation(z.slice(u..<(2 * u), alongAxis: 1))
    let candidate = activation(z.slice((2 * u)..<(3 * u), alongAxis: 1))
    let o = recurrentActivation(z.slice((3 * u)..<(4 * u), alongAxis: 1))
    let c = f * states[1] + i * candidate
    let h = o * activation(c)
    return (h, [h, c])
  }
}

/// LSTM's bias initializer with `unitForgetBias`: the base initializer for the input,
/// candidate and output blocks, ones for the forget block, as Keras builds it.
struct ForgetGateBias: Initializer {
  let base: any Initializer
  let units: Int

  var name: String { base.name }

  func validate(shape: [Int]) throws { try base.validate(shape: [units]) }

  func callAsFunction(shape: [Int], generator: inout RandomGenerator) -> Tensor {
    Tensor.concatenate(
      [
        base(shape: [units], generator: &generator), Tensor.ones([units]),
        base(shape: [2 * units], generator: &generator),
      ], alongAxis: 0)
  }

  func getConfig() -> ConfigValue { base.getConfig() }
}
