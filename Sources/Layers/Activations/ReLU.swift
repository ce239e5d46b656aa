import SwiftKerasCore

/// The rectified linear unit with Keras's options, as `keras.layers.ReLU`:
///
/// - `x` for `threshold < x`, capped at `maxValue` when given;
/// - `negativeSlope * (x - threshold)` for `x <= threshold`.
///
/// ```swift
/// let relu6 = ReLU(maxValue: 6)
/// let leaky = ReLU(negativeSlope: 0.1)
/// ```
public final class ReLU: Layer, ConfigInitializable {
  /// Masks pass through unchanged, as Keras's `supports_masking`.
  public override var supportsMasking: Bool { true }

  /// The largest output, or nil for no cap.
  @Config public var maxValue: Float? = nil
  /// The slope below the threshold.
  @Config public var negativeSlope: Float = 0
  /// The input value below which the unit is inactive.
  @Config public var threshold: Float = 0

  /// Creates the layer (Keras's defaults: no cap, slope 0, threshold 0).
  public convenience init(
    maxValue: Float? = nil, negativeSlope: Float = 0, threshold: Float = 0, name: String? = nil
  ) {
    self.init(name: name)
    self.maxValue = maxValue
    self.negativeSlope = negativeSlope
    self.threshold = threshold
  }

  public override func build(inputShape: Shape) throws {
    if let maxValue, maxValue < 0 {
      throw SwiftKerasError(
        .invalidArgument, "layer '\(name)' (ReLU): maxValue must be >= 0, got \(maxValue)")
    }
    guard negativeSlope >= 0, threshold >= 0 else {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(name)' (ReLU): negativeSlope and threshold must be >= 0, got negativeSlope=\(negativeSlope), threshold=\(threshold)"
      )
    }
  }

  public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
    // Keras's `relu(x, negative_slope, max_value, threshold)`.
    // TODO(lead): use Core's relu(_:negativeSlope:maxValue:threshold:) once act-init lands.
    if negativeSlope != 0 && maxValue == nil && threshold == 0 {
      return maximum(input, Float(0)) + negativeSlope * minimum(input, Float(0))
    }
    var output: Tensor
    if threshold != 0 {
      output = input * (input .> threshold)
    } else {
      output = maximum(input, Float(0))
    }
    if let maxValue { output = minimum(output, maxValue) }
    if negativeSlope != 0 {
      output = output - negativeSlope * maximum(threshold - input, Float(0))
    }
    return output
  }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    inputShapes[0]
  }
}
