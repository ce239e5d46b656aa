import Foundation
import SwiftKerasCore

/// Multiplies its input by Gaussian noise of mean 1 and standard deviation
/// `sqrt(rate / (1 - rate))` during training, as `keras.layers.GaussianDropout`. At
/// inference it passes its input through.
///
/// ```swift
/// let y = try GaussianDropout(0.3)(x, training: true)
/// ```
public final class GaussianDropout: BaseRandomLayer, ConfigInitializable {
  /// Masks pass through unchanged, as Keras's `supports_masking`.
  public override var supportsMasking: Bool { true }

  /// The drop probability of the equivalent dropout, in [0, 1).
  @Config(required: true) public var rate: Float = 0

  /// Creates the layer; without a seed its generator is drawn from the global one.
  public convenience init(_ rate: Float, seed: UInt64? = nil, name: String? = nil) {
    self.init(name: name)
    self.rate = rate
    self.seed = seed
  }

  public override func build(inputShape: Shape) throws {
    try checkRate(rate, includingOne: false)
  }

  public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
    guard training, rate > 0 else { return input }
    let stddev = (rate / (1 - rate)).squareRoot()
    return input
      * Tensor.randomNormal(shape: input.shape, mean: 1, stddev: stddev, generator: &generator)
  }
}
