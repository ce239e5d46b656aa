import SwiftKerasCore

/// Dropout of whole feature maps, as `keras.layers.SpatialDropout2D`: during training
/// each channel of each example of `[batch, height, width, channels]` input is zeroed
/// with probability `rate` (the survivors scaled by `1 / (1 - rate)`), so neighbouring,
/// strongly correlated pixels drop together. At inference it passes its input through.
///
/// ```swift
/// let y = try SpatialDropout2D(0.2)(x, training: true)
/// ```
public final class SpatialDropout2D: Layer {
  /// The fraction of feature maps dropped, in [0, 1].
  public let rate: Float
  /// The seed of the layer's generator, when given.
  public let seed: UInt64?
  private var generator: RandomGenerator

  /// Creates the layer.
  public init(_ rate: Float, seed: UInt64? = nil, name: String? = nil) {
    self.rate = rate
    self.seed = seed
    generator = seed.map { RandomGenerator(seed: $0) } ?? GlobalRandom.makeGenerator()
    super.init(name: name)
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
    // Keras's SpatialDropout2D config has no `trainable` key.
    var config = super.getConfig()
    config.removeValue(forKey: "trainable")
    config["rate"] = .double(Double(rate))
    config["seed"] = seed.map { .int(Int(truncatingIfNeeded: $0)) } ?? .null
    config["data_format"] = "channels_last"
    return config
  }
}
