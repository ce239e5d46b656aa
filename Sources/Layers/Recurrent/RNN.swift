import SwiftKerasCore

/// The generic recurrent layer, as `keras.layers.RNN`: runs any ``RecurrentCell`` (a
/// built-in one or a user's own) over the time steps. A list of cells is stacked
/// (``StackedRNNCells``): each step runs them in order, each feeding the next.
///
/// ```swift
/// let single = RNN(cell: LSTMCell(units: 8), returnSequences: true)
/// let stacked = RNN(cells: [LSTMCell(units: 8), GRUCell(units: 4)])
/// ```
///
/// Its config holds the cell serialized under `cell`, and a weights file keeps the cell's
/// weights under `layers/rnn/cell/...`.
public final class RNN: BaseRNN, ConfigInitializable {
  /// The cell, serialized in the config as Keras's `cell` entry.
  @Config("cell", required: true) public var cellEntry = NestedLayer()

  /// Creates the layer around `cell`.
  public convenience init(
    cell: any RecurrentCell, returnSequences: Bool = false, returnState: Bool = false,
    goBackwards: Bool = false, stateful: Bool = false, unroll: Bool = false,
    zeroOutputForMask: Bool = false, inputShape: [Int?]? = nil, name: String? = nil
  ) {
    self.init(name: name)
    cellEntry = NestedLayer(cell)
    setFlags(returnSequences, returnState, goBackwards, stateful, unroll)
    self.zeroOutputForMask = zeroOutputForMask
    requestedInputShape = inputShape
  }

  /// Creates the layer around a stack of cells, run in order at each step.
  public convenience init(
    cells: [any RecurrentCell], returnSequences: Bool = false, returnState: Bool = false,
    goBackwards: Bool = false, stateful: Bool = false, unroll: Bool = false,
    zeroOutputForMask: Bool = false, inputShape: [Int?]? = nil, name: String? = nil
  ) {
    self.init(
      cell: StackedRNNCells(cells), returnSequences: returnSequences, returnState: returnState,
      goBackwards: goBackwards, stateful: stateful, unroll: unroll,
      zeroOutputForMask: zeroOutputForMask, inputShape: inputShape, name: name)
  }

  /// The cell.
  public var cell: (any RecurrentCell)? { cellEntry.layer as? any RecurrentCell }

  public override var recurrentCell: (any RecurrentCell)? { cell }

  public override func build(inputShapes: [Shape]) throws {
    if let layer = cellEntry.layer, !(layer is any RecurrentCell) {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(name)' (RNN): the cell must be a RecurrentCell, got '\(layer.name)' (\(layer.className))"
      )
    }
    try super.build(inputShapes: inputShapes)
  }
}

extension BaseRNN {
  /// Sets the flags every recurrent layer's initializer takes.
  func setFlags(
    _ returnSequences: Bool, _ returnState: Bool, _ goBackwards: Bool, _ stateful: Bool,
    _ unroll: Bool
  ) {
    self.returnSequences = returnSequences
    self.returnState = returnState
    self.goBackwards = goBackwards
    self.stateful = stateful
    self.unroll = unroll
  }
}
