import SwiftKerasCore

/// Multiplies its input by `scale` and adds `offset`, as `keras.layers.Rescaling`: the
/// usual first layer of an image model fed raw pixel values.
///
/// ```swift
/// let model = try Sequential([
///   Input(shape: [28, 28, 1]), Rescaling(1.0 / 255), Conv2D(32, kernelSize: 3),
/// ])
/// let centred = Rescaling(1.0 / 127.5, offset: -1)                  // pixels to [-1, 1]
/// let perChannel = Rescaling(scale: [0.5, 2, 1], offset: [0, 1, -1])  // along the last axis
/// ```
public final class Rescaling: Layer, ConfigInitializable {
  /// Masks pass through unchanged, as Keras's `supports_masking`.
  public override var supportsMasking: Bool { true }

  /// The factor: one value, or one per position of the last axis.
  public var scale: [Float] { scaleValues.values }
  /// The value added after scaling: one value, or one per position of the last axis.
  public var offset: [Float] { offsetValues.values }
  /// The factor as Keras writes it (a number, or a list).
  @Config("scale", required: true) public var scaleValues = OneOrList<Float>([1])
  /// The offset as Keras writes it (a number, or a list).
  @Config("offset") public var offsetValues = OneOrList<Float>([0])

  /// Scales every element by `scale` and adds `offset`.
  public convenience init(
    _ scale: Float, offset: Float = 0, inputShape: [Int?]? = nil, name: String? = nil
  ) {
    self.init(scale: [scale], offset: [offset], inputShape: inputShape, name: name)
  }

  /// Scales and offsets per position of the last axis (a single value applies to all).
  public convenience init(
    scale: [Float], offset: [Float] = [0], inputShape: [Int?]? = nil, name: String? = nil
  ) {
    self.init(name: name)
    requestedInputShape = inputShape
    scaleValues = OneOrList(scale)
    offsetValues = OneOrList(offset)
  }

  public override func build(inputShape: Shape) throws {
    let last = inputShape.last ?? nil
    for (argument, values) in [("scale", scale), ("offset", offset)] {
      guard values.count == 1 || values.count == last || (last == nil && !values.isEmpty)
      else {
        throw SwiftKerasError(
          .shapeMismatch,
          "layer '\(name)' (Rescaling): \(argument) has \(values.count) values, which does not fit inputs of shape \(formatShape(inputShape)) (one value, or one per position of the last axis)"
        )
      }
    }
  }

  public override func checkInputs(_ shapes: [[Int]]) throws {
    guard shapes.count == 1 else {
      throw SwiftKerasError(
        .shapeMismatch, "layer '\(name)' (Rescaling) takes one input, got \(shapes.count)")
    }
    let last = shapes[0].last ?? 1
    for (argument, values) in [("scale", scale), ("offset", offset)]
    where values.count != 1 && values.count != last {
      throw SwiftKerasError(
        .shapeMismatch,
        "layer '\(name)' (Rescaling): \(argument) has \(values.count) values but the input's last axis has \(last)"
      )
    }
  }

  public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
    input * Rescaling.tensor(scale) + Rescaling.tensor(offset)
  }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    inputShapes[0]
  }

  /// A scalar for one value, else a vector that broadcasts along the last axis.
  private static func tensor(_ values: [Float]) -> Tensor {
    values.count == 1 ? Tensor(values[0]) : Tensor(values)
  }
}
