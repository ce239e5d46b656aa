import SwiftKerasCore

/// A long short-term memory layer, as `keras.layers.LSTM`: an ``LSTMCell`` run over the
/// time steps. Its config holds the cell's hyperparameters inline, as Keras's, and its
/// weights live in the cell (`layers/lstm/cell/vars/0..2` in a weights file: kernel
/// `[features, 4 × units]`, recurrent kernel `[units, 4 × units]`, bias `[4 × units]`,
/// gates in the order input, forget, candidate, output).
///
/// ```swift
/// let model = try Sequential([Input(shape: [28, 28]), LSTM(128), Dense(10, activation: .softmax)])
/// let (sequence, h, c) = ...   // LSTM(16, returnSequences: true, returnState: true).callOutputs([x], training: false)
/// ```
public final class LSTM: BaseRNN, ConfigInitializable {
  /// The cell holding the hyperparameters and the weights.
  public let cell = LSTMCell(name: "lstm_cell")

  /// Creates the layer with Keras's defaults.
  public convenience init(
    _ units: Int, activation: ActivationFunction = .tanh,
    recurrentActivation: ActivationFunction = .sigmoid, useBias: Bool = true,
    kernelInitializer: any Initializer = GlorotUniform(),
    recurrentInitializer: any Initializer = Orthogonal(),
    biasInitializer: any Initializer = Zeros(), unitForgetBias: Bool = true,
    kernelRegularizer: (any Regularizer)? = nil, recurrentRegularizer: (any Regularizer)? = nil,
    biasRegularizer: (any Regularizer)? = nil, activityRegularizer: (any Regularizer)? = nil,
    kernelConstraint: (any Constraint)? = nil, recurrentConstraint: (any Constraint)? = nil,
    biasConstraint: (any Constraint)? = nil,
    dropout: Float = 0, recurrentDropout: Float = 0, seed: UInt64? = nil,
    returnSequences: Bool = false, returnState: Bool = false, goBackwards: Bool = false,
    stateful: Bool = false, unroll: Bool = false, inputShape: [Int?]? = nil, name: String? = nil
  ) {
    self.init(name: name)
    cell.setCellArguments(
      units: units, activation: activation, useBias: useBias,
      kernel: WeightOptions(kernelInitializer, kernelRegularizer, kernelConstraint),
      recurrent: WeightOptions(recurrentInitializer, recurrentRegularizer, recurrentConstraint),
      bias: WeightOptions(biasInitializer, biasRegularizer, biasConstraint),
      dropout: dropout, recurrentDropout: recurrentDropout, seed: seed)
    cell.recurrentActivation = recurrentActivation
    cell.unitForgetBias = unitForgetBias
    self.activityRegularizer = activityRegularizer
    setFlags(returnSequences, returnState, goBackwards, stateful, unroll)
    requestedInputShape = inputShape
  }

  public override class var configListsActivityRegularizer: Bool { true }
  public override var recurrentCell: (any RecurrentCell)? { cell }
  override var inlineCell: Layer? { cell }

  /// The number of units.
  public var units: Int { cell.units }
}
