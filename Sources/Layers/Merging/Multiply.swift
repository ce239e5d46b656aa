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
}
