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
public final class Dropout: Layer, ConfigInitializable {
  /// The fraction of inputs dropped, in [0, 1].
  @Config(required: true) public var rate: Float = 0
  /// The shape of the mask, broadcast over the input; nil entries take the input's
  /// extent. Nil means one mask value per input element.
  @Config public var noiseShape: Shape? = nil
  /// The seed of the layer's generator, when given.
  @Config public var seed: UInt64? = nil
  private lazy var generator = seed.map(RandomGenerator.init(seed:)) ?? unseededGenerator
  /// Drawn when the layer is created, so the global seed orders draws as before.
  private let unseededGenerator = GlobalRandom.makeGenerator()

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
    guard rate >= 0, rate <= 1 else {
      throw SwiftKerasError(
        .invalidArgument, "layer '\(name)' (Dropout): rate must be in [0, 1], got \(rate)")
    }
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
    let keep: Float = 1 / (1 - rate)
    let dropRate = rate
    var local = generator
    let mask = Tensor(shape: maskShape) { out in
      local.fillUniform(out)
      for i in 0..<out.count { out[i] = out[i] < dropRate ? 0 : keep }
    }
    generator = local
    return input * mask
  }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    inputShapes[0]
  }
}
