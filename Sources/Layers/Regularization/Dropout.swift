import SwiftKerasCore

/// Randomly sets a fraction `rate` of its inputs to zero during training and scales the
/// rest by `1 / (1 - rate)` so the expected sum is unchanged, as `keras.layers.Dropout`.
/// At inference it passes its input through.
///
/// The layer draws from its own generator, seeded from `seed` or, when nil, from the
/// global generator at creation, so ``setRandomSeed(_:)`` before building a model makes
/// its dropout masks repeat.
///
/// ```swift
/// let dropout = Dropout(0.5)
/// let y = try dropout(x, training: true)
/// ```
public final class Dropout: BaseRandomLayer, ConfigInitializable {
  /// Masks pass through unchanged, as Keras's `supports_masking`.
  public override var supportsMasking: Bool { true }

  /// The fraction of inputs dropped, in [0, 1].
  @Config(required: true) public var rate: Float = 0
  /// The shape of the mask, broadcast over the input; nil entries take the input's
  /// extent. Nil means one mask value per input element.
  @Config public var noiseShape: Shape? = nil

  /// Creates the layer.
  public convenience init(
    _ rate: Float, noiseShape: Shape? = nil, seed: UInt64? = nil, name: String? = nil
  ) {
    self.init(name: name)
    self.rate = rate
    self.noiseShape = noiseShape
    self.seed = seed
  }

  public override func build(inputShape: Shape) throws {
    try checkRate(rate)
    if let noiseShape {
      let fits =
        noiseShape.count == inputShape.count
        && zip(noiseShape, inputShape).allSatisfy { n, x in n == nil || n == 1 || x == nil || n == x
        }
      guard fits else {
        throw SwiftKerasError(
          .shapeMismatch,
          "layer '\(name)' (Dropout): noiseShape \(formatShape(noiseShape)) does not broadcast to input shape \(formatShape(inputShape))"
        )
      }
    }
  }

  public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
    guard training, rate > 0 else { return input }
    // Everything is dropped whatever the mask's shape, so noiseShape goes unchecked.
    if rate >= 1 { return input * 0 }
    var maskShape = input.shape
    if let noiseShape {
      for (axis, extent) in noiseShape.enumerated() where axis < maskShape.count {
        if let extent { maskShape[axis] = extent }
      }
      guard zip(maskShape, input.shape).allSatisfy({ $0 == 1 || $0 == $1 }) else {
        throw SwiftKerasError(
          .shapeMismatch,
          "layer '\(name)' (Dropout): noiseShape \(formatShape(noiseShape)) does not broadcast to input shape \(input.shape)"
        )
      }
    }
    return dropped(input, rate: rate, maskShape: maskShape)
  }
}
