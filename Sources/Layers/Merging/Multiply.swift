import SwiftKerasCore

/// Multiplies its inputs element-wise, as `keras.layers.Multiply`. Shapes follow Merge's rules.
///
/// ```swift
/// let product = try Multiply()([a, b])
/// ```
public final class Multiply: Merge, ConfigInitializable {
  public override func mergeFunction(_ inputs: [Tensor]) throws -> Tensor {
    inputs.dropFirst().reduce(inputs[0], *)
  }

  /// As Keras's: masked values count as 1, and when every input has a mask the product
  /// is 0 where all of them are masked.
  public override func callOutputs(_ inputs: [Tensor], masks: [Tensor?], training: Bool)
    throws -> [Tensor]
  {
    guard spreadMasks(inputs, masks).contains(where: { $0 != nil }) else {
      return try callOutputs(inputs, training: training)
    }
    try prepareCall(inputs.map { $0.shape })
    let inputs = try aligned(inputs)
    let spread = spreadMasks(inputs, masks)
    let replaced = zip(inputs, spread).map { x, mask in
      mask.map { `where`($0, x, Tensor(1)) } ?? x
    }
    var output = replaced.dropFirst().reduce(replaced[0], *)
    let given = spread.compactMap { $0 }
    if given.count == spread.count, let first = given.first {
      output = `where`(given.dropFirst().reduce(first) { maximum($0, $1) }, output, Tensor(0))
    }
    return [finishCall(output)]
  }
}
