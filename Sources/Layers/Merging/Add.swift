import SwiftKerasCore

/// Sums its inputs element-wise, as `keras.layers.Add`. Shapes follow Merge's rules.
///
/// ```swift
/// let sum = try Add()([a, b])
/// ```
public final class Add: Merge, ConfigInitializable {
  public override func mergeFunction(_ inputs: [Tensor]) throws -> Tensor {
    inputs.dropFirst().reduce(inputs[0], +)
  }
}
