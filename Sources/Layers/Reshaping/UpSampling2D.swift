import SwiftKerasCore

/// Enlarges `[batch, height, width, channels]` input `size` times along height and width,
/// as `keras.layers.UpSampling2D`: each pixel repeated (`"nearest"`, the default) or
/// interpolated between its neighbours (`"bilinear"`, with TensorFlow's half-pixel
/// centres).
///
/// ```swift
/// let y = try UpSampling2D(2)(Tensor.zeros([2, 7, 7, 8]))   // [2, 14, 14, 8]
/// let z = try UpSampling2D(2, interpolation: "bilinear")(Tensor.zeros([2, 7, 7, 8]))
/// ```
public final class UpSampling2D: Layer, ConfigInitializable {
  /// The repeat factors for height and width.
  @Config public var size = [2, 2]
  /// `"nearest"` or `"bilinear"`.
  @Config public var interpolation = "nearest"
  /// Keras's `data_format`; only channels-last inputs are supported.
  @Config public var dataFormat = "channels_last"

  /// Creates the layer.
  ///
  /// - Parameters:
  ///   - size: the factor for both axes, or `[rows, columns]`.
  ///   - interpolation: `"nearest"` or `"bilinear"`; Keras's other methods (`"bicubic"`,
  ///     `"lanczos3"`, `"lanczos5"`) throw at build.
  public convenience init(
    _ size: IntOrTuple = 2, interpolation: String = "nearest", name: String? = nil
  ) {
    self.init(name: name)
    self.size = size.spread(rank: 2)
    self.interpolation = interpolation
  }

  public override func build(inputShape: Shape) throws {
    size = try IntOrTuple(size).resolved(rank: 2, argument: "size", layer: "\(name)' (UpSampling2D")
    guard ["nearest", "bilinear"].contains(interpolation) else {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(name)' (UpSampling2D): interpolation must be \"nearest\" or \"bilinear\", got \"\(interpolation)\""
      )
    }
    guard inputShape.count == 4 else {
      throw SwiftKerasError(
        .shapeMismatch,
        "layer '\(name)' (UpSampling2D) needs inputs of rank 4, got \(formatShape(inputShape))")
    }
  }

  public override func checkInputs(_ shapes: [[Int]]) throws {
    guard shapes.count == 1, shapes[0].count == 4 else {
      throw SwiftKerasError(
        .shapeMismatch, "layer '\(name)' (UpSampling2D) needs one input of rank 4, got \(shapes)")
    }
  }

  public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
    let output = try computeOutputShape(inputShapes: [input.shape.map { Optional($0) }])
    _ = try RuntimeOptions.checkTensorSize(
      output.map { $0 ?? 0 }, of: "layer '\(name)' (UpSampling2D) output")
    // An empty input has nothing to interpolate: both methods give the same empty result.
    return interpolation == "bilinear" && input.count > 0
      ? input.resizedBilinear2d(height: input.shape[1] * size[0], width: input.shape[2] * size[1])
      : input.upsampled2d(size: (size[0], size[1]))
  }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    let shape = inputShapes[0]
    let factors = IntOrTuple(size).expanded(rank: 2)
    let scaled = try [(shape[1], factors[0]), (shape[2], factors[1])].map {
      extent, factor -> Int? in
      guard let extent else { return nil }
      guard let length = checkedMultiply(extent, factor) else {
        throw SwiftKerasError(
          .invalidArgument,
          "layer '\(name)' (UpSampling2D): size \(size) times input extent \(extent) overflows")
      }
      return length
    }
    return [shape[0], scaled[0], scaled[1], shape[3]]
  }
}
