import SwiftKerasCore

/// Flips images left-right, upside down, or both, during training only, as
/// `keras.layers.RandomFlip`: each image of a `[batch, height, width, channels]` (or one
/// `[height, width, channels]`) input is flipped with probability ½ — in
/// `horizontal_and_vertical` mode one draw decides both flips, as Keras. At inference the
/// input passes unchanged.
///
/// The draws come from the layer's own generator, seeded by `seed` (or by the global
/// generator on first use, so ``setRandomSeed(_:)`` makes runs repeat): the same seed
/// gives the same flips, run after run. Keras's own random stream is not reproduced; for
/// given flips the output equals Keras's (`flipped(_:flips:)`).
///
/// ```swift
/// let augment = RandomFlip("horizontal", seed: 7)
/// let model = try Sequential([Input(shape: [32, 32, 3]), augment, Conv2D(16, kernelSize: 3)])
/// ```
public final class RandomFlip: Layer, ConfigInitializable {
  /// `horizontal`, `vertical` or `horizontal_and_vertical` (Keras's default).
  @Config public var mode = "horizontal_and_vertical"
  /// The seed of the layer's generator, or nil for a draw from the global one.
  @Config public var seed: Int? = nil
  /// The axis order; only `channels_last`.
  @Config public var dataFormat = "channels_last"

  private var generator: RandomGenerator?

  /// Creates the layer.
  public convenience init(
    _ mode: String = "horizontal_and_vertical", seed: Int? = nil, name: String? = nil
  ) {
    self.init(name: name)
    self.mode = mode
    self.seed = seed
  }

  public override func build(inputShape: Shape) throws {
    guard ["horizontal", "vertical", "horizontal_and_vertical"].contains(mode) else {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(name)' (RandomFlip): mode must be horizontal, vertical or horizontal_and_vertical, got '\(mode)'"
      )
    }
    guard dataFormat == "channels_last" else {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(name)' (RandomFlip): only channels_last is implemented, got '\(dataFormat)'")
    }
    guard inputShape.count == 3 || inputShape.count == 4 else {
      throw SwiftKerasError(
        .shapeMismatch,
        "layer '\(name)' (RandomFlip) takes images [batch, height, width, channels] or [height, width, channels], got \(formatShape(inputShape))"
      )
    }
  }

  public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
    guard training else { return input }
    if generator == nil {
      generator =
        seed.map { RandomGenerator(seed: UInt64(bitPattern: Int64($0))) }
        ?? GlobalRandom.makeGenerator()
    }
    let batch = input.rank == 4 ? input.shape[0] : 1
    var flips: [Bool] = []
    for _ in 0..<batch { flips.append(generator!.nextUniform() <= 0.5) }
    return try flipped(input, flips: flips)
  }

  /// `images` with image `i` flipped (as `mode` says) where `flips[i]`, whatever the
  /// training flag: Keras's `transform_images` for given flips. Differentiable.
  ///
  /// - Throws: ``SwiftKerasError`` when `flips` does not have one entry per image.
  public func flipped(_ images: Tensor, flips: [Bool]) throws -> Tensor {
    let batched = images.rank == 4 ? images : images.reshaped(to: [1] + images.shape)
    guard batched.rank == 4, flips.count == batched.shape[0] else {
      throw SwiftKerasError(
        .shapeMismatch,
        "layer '\(name)' (RandomFlip): \(flips.count) flip decisions for images of shape \(images.shape)"
      )
    }
    let (count, height, width, channels) =
      (batched.shape[0], batched.shape[1], batched.shape[2], batched.shape[3])
    let horizontal = mode != "vertical"
    let vertical = mode != "horizontal"
    var rows: [Int] = []
    rows.reserveCapacity(count * height * width)
    for n in 0..<count {
      for h in 0..<height {
        let sourceH = flips[n] && vertical ? height - 1 - h : h
        for w in 0..<width {
          let sourceW = flips[n] && horizontal ? width - 1 - w : w
          rows.append((n * height + sourceH) * width + sourceW)
        }
      }
    }
    let out = batched.reshaped(to: [count * height * width, channels]).gathering(rows: rows)
      .reshaped(to: batched.shape)
    return images.rank == 4 ? out : out.reshaped(to: images.shape)
  }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    inputShapes[0]
  }
}
