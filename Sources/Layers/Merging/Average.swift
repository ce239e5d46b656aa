import SwiftKerasCore

/// Averages its inputs element-wise, as `keras.layers.Average`. Shapes follow Merge's rules.
///
/// ```swift
/// let mean = try Average()([a, b])
/// ```
public final class Average: Merge, ConfigInitializable {
  public override func mergeFunction(_ inputs: [Tensor]) throws -> Tensor {
    let scale: Float = 1 / Float(inputs.count)
    return inputs.dropFirst().reduce(inputs[0], +) * scale
  }
}
