import SwiftKerasCore

/// Takes the element-wise minimum of its inputs, as `keras.layers.Minimum`. Shapes follow Merge's rules.
///
/// ```swift
/// let smallest = try Minimum()([a, b])
/// ```
public final class Minimum: Merge, ConfigInitializable {
  public override func mergeFunction(_ inputs: [Tensor]) throws -> Tensor {
    inputs.dropFirst().reduce(inputs[0]) { SwiftKerasCore.minimum($0, $1) }
  }

  /// As Keras's: masked values never win (see `mergeMaskedPairwise`).
  public override func callOutputs(_ inputs: [Tensor], masks: [Tensor?], training: Bool)
    throws -> [Tensor]
  {
    guard spreadMasks(inputs, masks).contains(where: { $0 != nil }) else {
      return try callOutputs(inputs, training: training)
    }
    return try mergeMaskedPairwise(inputs, masks: masks, training: training) {
      SwiftKerasCore.minimum($0, $1)
    }
  }
}
