import SwiftKerasCore

/// Takes the element-wise maximum of its inputs, as `keras.layers.Maximum`. Shapes follow Merge's rules.
///
/// ```swift
/// let largest = try Maximum()([a, b])
/// ```
public final class Maximum: Merge, ConfigInitializable {
  public override func mergeFunction(_ inputs: [Tensor]) throws -> Tensor {
    inputs.dropFirst().reduce(inputs[0]) { SwiftKerasCore.maximum($0, $1) }
  }

  /// As Keras's: masked values never win (see `mergeMaskedPairwise`).
  public override func callOutputs(_ inputs: [Tensor], masks: [Tensor?], training: Bool)
    throws -> [Tensor]
  {
    guard spreadMasks(inputs, masks).contains(where: { $0 != nil }) else {
      return try callOutputs(inputs, training: training)
    }
    return try mergeMaskedPairwise(inputs, masks: masks, training: training) {
      SwiftKerasCore.maximum($0, $1)
    }
  }
}
