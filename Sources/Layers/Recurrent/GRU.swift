import SwiftKerasCore

/// A gated recurrent unit layer, as `keras.layers.GRU`: a ``GRUCell`` run over the time
/// steps. Its config holds the cell's hyperparameters inline, as Keras's, and its weights
/// live in the cell (`layers/gru/cell/vars/0..2`: kernel `[features, 3 × units]`, recurrent
/// kernel `[units, 3 × units]`, bias `[2, 3 × units]` with `resetAfter` (the default) or
/// `[3 × units]` without; gates in the order update, reset, candidate).
///
/// ```swift
/// let layer = GRU(32, returnSequences: true)
/// let y = try layer(Tensor.zeros([8, 20, 5]))   // [8, 20, 32]
/// ```
public final class GRU: BaseRNN, ConfigInitializable {
  /// The cell holding the hyperparameters and the weights.
  public let cell = GRUCell(name: "gru_cell")

  /// Creates the layer with Keras's defaults.
  public convenience init(
    _ units: Int, activation: ActivationFunction = .tanh,
    recurrentActivation: ActivationFunction = .sigmoid, useBias: Bool = true,
    kernelInitializer: any Initializer = GlorotUniform(),
    recurrentInitializer: any Initializer = Orthogonal(),
    biasInitializer: any Initializer = Zeros(),
    kernelRegularizer: (any Regularizer)? = nil, recurrentRegularizer: (any Regularizer)? = nil,
    biasRegularizer: (any Regularizer)? = nil, activityRegularizer: (any Regularizer)? = nil,
    kernelConstraint: (any Constraint)? = nil, recurrentConstraint: (any Constraint)? = nil,
    biasConstraint: (any Constraint)? = nil,
    dropout: Float = 0, recurrentDropout: Float = 0, seed: UInt64? = nil,
    returnSequences: Bool = false, returnState: Bool = false, goBackwards: Bool = false,
    stateful: Bool = false, unroll: Bool = false, resetAfter: Bool = true,
    inputShape: [Int?]? = nil, name: String? = nil
  ) {
    self.init(name: name)
    cell.setCellArguments(
      units: units, activation: activation, useBias: useBias,
      kernel: WeightOptions(kernelInitializer, kernelRegularizer, kernelConstraint),
      recurrent: WeightOptions(recurrentInitializer, recurrentRegularizer, recurrentConstraint),
      bias: WeightOptions(biasInitializer, biasRegularizer, biasConstraint),
      dropout: dropout, recurrentDropout: recurrentDropout, seed: seed)
    cell.recurrentActivation = recurrentActivation
    cell.resetAfter = resetAfter
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
