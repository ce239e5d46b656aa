import SwiftKerasCore

/// Dropout of whole feature maps, as `keras.layers.SpatialDropout2D`: during training
/// each channel of each example of `[batch, height, width, channels]` input is zeroed
/// with probability `rate` (the survivors scaled by `1 / (1 - rate)`), so neighbouring,
/// strongly correlated pixels drop together. At inference it passes its input through.
///
/// ```swift
/// let y = try SpatialDropout2D(0.2)(x, training: true)
/// ```
public final class SpatialDropout2D: Layer, ConfigInitializable {
  /// The fraction of feature maps dropped, in [0, 1].
  @Config(required: true) public var rate: Float = 0
  /// The seed of the layer's generator, when given.
  @Config public var seed: UInt64? = nil
  /// Keras's `data_format`; only channels-last inputs are supported.
  @Config public var dataFormat = "channels_last"
  private lazy var generator = seed.map(RandomGenerator.init(seed:)) ?? unseededGenerator
  /// Drawn when the layer is created, so the global seed orders draws as before.
  private let unseededGenerator = GlobalRandom.makeGenerator()

  /// Creates the layer.
  public convenience init(_ rate: Float, seed: UInt64? = nil, name: String? = nil) {
    self.init(name: name)
    self.rate = rate
    self.seed = seed
  }

  public override func build(inputShape: Shape) throws {
    guard rate >= 0, rate <= 1 else {
      throw SwiftKerasError(
        .invalidArgument, "layer '\(name)' (SpatialDropout2D): rate must be in [0, 1], got \(rate)")
    }
    guard inputShape.count == 4 else {
      throw SwiftKerasError(
        .shapeMismatch,
        "layer '\(name)' (SpatialDropout2D) needs inputs of rank 4, got \(formatShape(inputShape))")
    }
  }

  public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
    guard training, rate > 0 else { return input }
    if rate >= 1 { return input * 0 }
    let keep: Float = 1 / (1 - rate)
    let dropRate = rate
    var local = generator
    let mask = Tensor(shape: [input.shape[0], 1, 1, input.shape[3]]) { out in
      local.fillUniform(out)
      for i in 0..<out.count { out[i] = out[i] < dropRate ? 0 : keep }
    }
    generator = local
    return input * mask
  }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    inputShapes[0]
  }

  public override func getConfig() -> [String: ConfigValue] {
    // Keras's spatial dropout config has no `trainable` entry.
    var config = super.getConfig()
    config["trainable"] = nil
    return config
  }
}
