import SwiftKerasCore

/// One step of a recurrent computation, as the cells Keras's `RNN` layer accepts: from the
/// input at one time step and the states after the previous step to the step's output and
/// the new states.
///
/// The built-in cells (``SimpleRNNCell``, ``LSTMCell``, ``GRUCell``, ``StackedRNNCells``)
/// conform; a user's own cell is a ``Layer`` subclass that conforms too and creates its
/// weights in ``Layer/build(inputShape:)`` for inputs `[batch, features]`.
///
/// ```swift
/// final class MinimalCell: Layer, RecurrentCell {
///   let units: Int
///   var kernel: Variable?
///   init(units: Int) {
///     self.units = units
///     super.init(name: nil)
///   }
///   var stateSizes: [Int] { [units] }
///   var outputSize: Int { units }
///   override func build(inputShape: Shape) throws {
///     kernel = addWeight(name: "kernel", shape: [inputShape.last!! + units, units], initializer: GlorotUniform())
///   }
///   func step(_ input: Tensor, states: [Tensor], training: Bool) throws -> (output: Tensor, states: [Tensor]) {
///     let h = tanh(matmul(Tensor.concatenate([input, states[0]], alongAxis: 1), kernel!.value))
///     return (h, [h])
///   }
/// }
/// let layer = RNN(cell: MinimalCell(units: 8))
/// ```
public protocol RecurrentCell: Layer {
  /// The width of each state, in order (an LSTM has two: `[units, units]`).
  var stateSizes: [Int] { get }
  /// The width of the output of one step.
  var outputSize: Int { get }
  /// The output of one step and the new states, for `input` of shape `[batch, features]`
  /// and `states` of shapes `[batch, stateSizes[i]]`.
  func step(_ input: Tensor, states: [Tensor], training: Bool) throws -> (
    output: Tensor, states: [Tensor]
  )
  /// Called by the RNN layer before and after each sequence, so a cell with dropout draws
  /// one mask per sequence, as Keras's `DropoutRNNCell`.
  func resetDropoutMasks()
}

extension RecurrentCell {
  /// Cells without dropout have nothing to reset.
  public func resetDropoutMasks() {}
}
