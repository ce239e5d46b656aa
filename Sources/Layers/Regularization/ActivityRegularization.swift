import SwiftKerasCore

/// Passes its input through and adds the penalty `(l1 * sum|x| + l2 * sum x²) / batchSize`
/// to the layer's losses, as `keras.layers.ActivityRegularization` (Keras 3 divides
/// activity penalties by the batch size).
///
/// ```swift
/// let layer = ActivityRegularization(l1: 0.01)
/// let y = try layer(x)          // y == x; layer.losses holds the penalty
/// ```
public final class ActivityRegularization: Layer, ConfigInitializable {
  /// Masks pass through unchanged, as Keras's `supports_masking`.
  public override var supportsMasking: Bool { true }

  /// The L1 factor.
  @Config public var l1: Float = 0
  /// The L2 factor.
  @Config public var l2: Float = 0

  /// Creates the layer (Keras's defaults 0 and 0).
  public convenience init(l1: Float = 0, l2: Float = 0, name: String? = nil) {
    self.init(name: name)
    self.l1 = l1
    self.l2 = l2
  }

  public override func build(inputShape: Shape) throws {
    guard l1 >= 0, l2 >= 0 else {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(name)' (ActivityRegularization): l1 and l2 must be >= 0, got l1=\(l1), l2=\(l2)")
    }
  }

  public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
    let penalty = L1L2(l1: l1, l2: l2)(input)
    let scale: Float = 1 / Float(Swift.max(input.shape.first ?? 1, 1))
    callLosses.append(penalty * scale)
    return input
  }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    inputShapes[0]
  }
}
