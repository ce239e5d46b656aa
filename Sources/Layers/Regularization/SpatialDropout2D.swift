import SwiftKerasCore

/// Dropout of whole feature maps, as `keras.layers.SpatialDropout2D`: during training
/// each channel of each example of `[batch, height, width, channels]` input is zeroed
/// with probability `rate` (the survivors scaled by `1 / (1 - rate)`), so neighbouring,
/// strongly correlated pixels drop together. At inference it passes its input through.
///
/// ```swift
/// let y = try SpatialDropout2D(0.2)(x, training: true)
/// ```
public final class SpatialDropout2D: BaseRandomLayer, ConfigInitializable {
  /// The fraction of feature maps dropped, in [0, 1].
  @Config(required: true) public var rate: Float = 0
  /// Keras's `data_format`; only channels-last inputs are supported.
  @Config public var dataFormat = "channels_last"

  /// Creates the layer.
  public convenience init(_ rate: Float, seed: UInt64? = nil, name: String? = nil) {
    self.init(name: name)
    self.rate = rate
    self.seed = seed
  }

  public override func build(inputShape: Shape) throws {
    try checkRate(rate)
    guard inputShape.count == 4 else {
      throw SwiftKerasError(
        .shapeMismatch,
        "layer '\(name)' (SpatialDropout2D) needs inputs of rank 4, got \(formatShape(inputShape))")
    }
  }

  public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
    guard training, rate > 0 else { return input }
    return dropped(input, rate: rate, maskShape: [input.shape[0], 1, 1, input.shape[3]])
  }

  public override func getConfig() -> [String: ConfigValue] {
    // Keras's spatial dropout config has no `trainable` entry.
    var config = super.getConfig()
    config["trainable"] = nil
    return config
  }
}
