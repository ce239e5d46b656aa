import SwiftKerasCore

/// Subtracts its second input from its first, element-wise, as `keras.layers.Subtract`.
/// It takes exactly two inputs; shapes follow ``Merge``'s rules.
///
/// ```swift
/// let difference = try Subtract()([a, b])   // a - b
/// ```
public final class Subtract: Merge, ConfigInitializable {
  public override var minimumInputCount: Int { 2 }
  public override var maximumInputCount: Int? { 2 }

  public override func mergeFunction(_ inputs: [Tensor]) throws -> Tensor {
    inputs[0] - inputs[1]
  }
}
