import SwiftKerasCore

/// Adds zero-mean Gaussian noise of standard deviation `stddev` during training, as
/// `keras.layers.GaussianNoise`. At inference it passes its input through.
///
/// ```swift
/// let y = try GaussianNoise(0.1)(x, training: true)
/// ```
public final class GaussianNoise: Layer {
  /// The standard deviation of the noise.
  public let stddev: Float
  /// The seed of the layer's generator, when given.
  public let seed: UInt64?
  private var generator: RandomGenerator

  /// Creates the layer; without a seed its generator is drawn from the global one.
  public init(_ stddev: Float, seed: UInt64? = nil, name: String? = nil) {
    self.stddev = stddev
    self.seed = seed
    generator = seed.map { RandomGenerator(seed: $0) } ?? GlobalRandom.makeGenerator()
    super.init(name: name)
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

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    inputShapes[0]
  }

  public override func getConfig() -> [String: ConfigValue] {
    var config = super.getConfig()
    config["stddev"] = .double(Double(stddev))
    config["seed"] = seed.map { .int(Int(truncatingIfNeeded: $0)) } ?? .null
    return config
  }
}
