import SwiftKerasCore

/// Adds zero-mean Gaussian noise of standard deviation `stddev` during training, as
/// `keras.layers.GaussianNoise`. At inference it passes its input through.
///
/// ```swift
/// let y = try GaussianNoise(0.1)(x, training: true)
/// ```
public final class GaussianNoise: BaseRandomLayer, ConfigInitializable {
  /// Masks pass through unchanged, as Keras's `supports_masking`.
  public override var supportsMasking: Bool { true }

  /// The standard deviation of the noise.
  @Config(required: true) public var stddev: Float = 0

  /// Creates the layer; without a seed its generator is drawn from the global one.
  public convenience init(_ stddev: Float, seed: UInt64? = nil, name: String? = nil) {
    self.init(name: name)
    self.stddev = stddev
    self.seed = seed
  }

  public override func build(inputShape: Shape) throws {
    guard stddev >= 0 else {
      throw SwiftKerasError(
        .invalidArgument, "layer '\(name)' (GaussianNoise): stddev must be >= 0, got \(stddev)")
    }
  }

  public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
    guard training, stddev > 0 else { return input }
    return input + Tensor.randomNormal(shape: input.shape, stddev: stddev, generator: &generator)
  }
}
