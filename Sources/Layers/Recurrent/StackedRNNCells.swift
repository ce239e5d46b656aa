import SwiftKerasCore

/// Several cells run in order at each time step, each one's output the next one's input,
/// as `keras.layers.StackedRNNCells`. Its states are every cell's states in order, its
/// output the last cell's. ``RNN/init(cells:returnSequences:returnState:goBackwards:stateful:unroll:zeroOutputForMask:inputShape:name:)``
/// makes one.
///
/// ```swift
/// let stack = StackedRNNCells([LSTMCell(units: 8), LSTMCell(units: 4)])
/// let layer = RNN(cell: stack)
/// ```
public final class StackedRNNCells: Layer, ConfigInitializable, RecurrentCell {
  /// The cells, serialized in the config as Keras's `cells` list.
  @Config("cells", required: true) public var cellEntries: [NestedLayer] = []

  /// Stacks `cells`, the first reading the step's input.
  public convenience init(_ cells: [any RecurrentCell], name: String? = nil) {
    self.init(name: name)
    cellEntries = cells.map { NestedLayer($0) }
  }

  /// The cells in order.
  public var cells: [any RecurrentCell] {
    cellEntries.compactMap { $0.layer as? any RecurrentCell }
  }

  public override var sublayers: [Layer] { cells }

  /// Keras's weights files keep the cells under `cells/<snake_case class name>`.
  public override var savedSublayers: [(path: String, layer: Layer)]? {
    var used: [String: Int] = [:]
    return cells.map { cell in
      let base = snakeCase(cell.className)
      let count = used[base]
      used[base] = (count ?? -1) + 1
      return ("cells/" + (count.map { "\(base)_\($0 + 1)" } ?? base), cell)
    }
  }

  /// Every cell's states, in order.
  public var stateSizes: [Int] { cells.flatMap { $0.stateSizes } }
  /// The last cell's output width.
  public var outputSize: Int { cells.last?.outputSize ?? 0 }

  public override func build(inputShape: Shape) throws {
    guard !cellEntries.isEmpty, cells.count == cellEntries.count else {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(name)' (StackedRNNCells) needs one or more RecurrentCell cells, got \(cellEntries.map { $0.layer?.className ?? "nil" })"
      )
    }
    var shape = inputShape
    for cell in cells {
      try cell.ensureBuilt(inputShapes: [shape])
      shape = [shape.first ?? nil, cell.outputSize]
    }
  }

  /// One step through every cell in order, each one's output the next one's input.
  public func step(_ input: Tensor, states: [Tensor], training: Bool) throws -> (
    output: Tensor, states: [Tensor]
  ) {
    var current = input
    var offset = 0
    var next: [Tensor] = []
    for cell in cells {
      let count = cell.stateSizes.count
      let (output, cellStates) = try cell.step(
        current, states: Array(states[offset..<(offset + count)]), training: training)
      next += cellStates
      current = output
      offset += count
    }
    return (current, next)
  }

  /// Resets every cell's dropout masks.
  public func resetDropoutMasks() {
    for cell in cells { cell.resetDropoutMasks() }
  }

  public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
    throw SwiftKerasError(
      .invalidArgument,
      "layer '\(name)' (StackedRNNCells) is a cell: wrap it in RNN(cell:)")
  }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    [inputShapes[0].first ?? nil, outputSize]
  }
}
