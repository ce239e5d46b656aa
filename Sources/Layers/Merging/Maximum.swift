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
}
