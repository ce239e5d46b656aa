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
}
