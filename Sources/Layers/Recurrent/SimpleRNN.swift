import SwiftKerasCore

/// A fully connected recurrent layer, as `keras.layers.SimpleRNN`: a ``SimpleRNNCell`` run
/// over the time steps. Its config holds the cell's hyperparameters inline, as Keras's, and
/// its weights live in the cell (`layers/simple_rnn/cell/vars/0..2`: kernel `[features,
/// units]`, recurrent kernel `[units, units]`, bias `[units]`).
///
/// ```swift
/// let y = try SimpleRNN(4)(Tensor.zeros([2, 10, 3]))   // [2, 4]
/// ```
public final class SimpleRNN: BaseRNN, ConfigInitializable {
  /// The cell holding the hyperparameters and the weights.
  public let cell = SimpleRNNCell(name: "simple_rnn_cell")

  /// Creates the layer with Keras's defaults.
  public convenience init(
    _ units: Int, activation: ActivationFunction = .tanh, useBias: Bool = true,
    kernelInitializer: any Initializer = GlorotUniform(),
    recurrentInitializer: any Initializer = Orthogonal(),
    biasInitializer: any Initializer = Zeros(),
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
    self.activityRegularizer = activityRegularizer
    setFlags(returnSequences, returnState, goBackwards, stateful, unroll)
    requestedInputShape = inputShape
  }

  public override class var configListsActivityRegularizer: Bool { true }
  public override var recurrentCell: (any RecurrentCell)? { cell }
  override var inlineCell: Layer? { cell }
  override class var omittedCellKeys: Set<String> { ["seed"] }

  /// The number of units.
  public var units: Int { cell.units }
}
