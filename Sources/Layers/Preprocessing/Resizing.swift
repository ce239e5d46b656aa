import SwiftKerasCore

/// Resizes `[batch, height, width, channels]` images to `height × width`, as
/// `keras.layers.Resizing` with bilinear interpolation: half-pixel centres as
/// `tf.image.resize`, optionally after a centred crop to the target's aspect ratio.
///
/// ```swift
/// let model = try Sequential([
///   Input(shape: [120, 160, 3]), Resizing(64, 64, cropToAspectRatio: true), Rescaling(1.0 / 255),
/// ])
/// ```
public final class Resizing: Layer, ConfigInitializable {
  /// The output height.
  @Config(required: true) public var height: Int = 0
  /// The output width.
  @Config(required: true) public var width: Int = 0
  /// The interpolation; only `"bilinear"` (Keras's default) is implemented.
  @Config public var interpolation: String = "bilinear"
  /// Crop the centre to the output's aspect ratio before resizing.
  @Config public var cropToAspectRatio = false
  /// Pad to the output's aspect ratio instead (not implemented: must stay false).
  @Config public var padToAspectRatio = false
  /// How padding is filled (Keras's default, unused while padding is off).
  @Config public var fillMode: String = "constant"
  /// The padding value (unused while padding is off).
  @Config public var fillValue: Float = 0
  /// Anti-aliasing when downscaling (not implemented: must stay false).
  @Config public var antialias = false
  /// The axis order; only `"channels_last"`.
  @Config public var dataFormat: String = "channels_last"

  /// Creates the layer.
  public convenience init(
    _ height: Int, _ width: Int, cropToAspectRatio: Bool = false, name: String? = nil
  ) {
    self.init(name: name)
    self.height = height
    self.width = width
    self.cropToAspectRatio = cropToAspectRatio
  }

  public override func build(inputShape: Shape) throws {
    try ImageResizing.check(
      name, kind: "Resizing", height: height, width: width, dataFormat: dataFormat,
      inputShape: inputShape)
    for (argument, unsupported) in [
      ("interpolation '\(interpolation)'", interpolation != "bilinear"),
      ("pad_to_aspect_ratio", padToAspectRatio), ("antialias", antialias),
    ] where unsupported {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(name)' (Resizing): \(argument) is not implemented; SwiftKeras resizes bilinearly, without padding or anti-aliasing"
      )
    }
  }

  public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
    _ = try RuntimeOptions.checkTensorSize(
      [input.shape[0], height, width, input.shape[3]], of: "layer '\(name)' (Resizing) output")
    return ImageResizing.resize(input, to: (height, width), crop: cropToAspectRatio)
  }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    [inputShapes[0][0], height, width, inputShapes[0][3]]
  }
}
