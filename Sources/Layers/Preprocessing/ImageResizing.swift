import SwiftKerasCore

/// The resize shared by ``Resizing`` and ``CenterCrop``: an optional centred crop to the
/// target's aspect ratio (Keras's `smart_resize`, sizes computed in float32 and
/// truncated), then bilinear interpolation with half-pixel centres (`tf.image.resize`).
enum ImageResizing {
  /// `[batch, height, width, channels]` images resized to `target`, cropped to its aspect
  /// ratio first when `crop`; differentiable.
  static func resize(_ images: Tensor, to target: (height: Int, width: Int), crop: Bool)
    -> Tensor
  {
    var input = images
    let (height, width) = (images.shape[1], images.shape[2])
    if crop {
      let box = AspectRatioCrop.box(height: height, width: width, target: target)
      if box.height != height || box.width != width {
        input = images.cropped2d(
          top: box.top, bottom: height - box.top - box.height, left: box.left,
          right: width - box.left - box.width)
      }
    }
    if input.shape[1] == target.height && input.shape[2] == target.width { return input }
    return input.resizedBilinear2d(height: target.height, width: target.width)
  }

  /// Checks the layer's arguments and a `[batch, height, width, channels]` input shape.
  static func check(
    _ layer: String, kind: String, height: Int, width: Int, dataFormat: String,
    inputShape: Shape
  ) throws {
    guard height > 0, width > 0 else {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(layer)' (\(kind)): height and width must be positive, got \(height)×\(width)")
    }
    guard dataFormat == "channels_last" else {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(layer)' (\(kind)): only data_format 'channels_last' is supported, got '\(dataFormat)'"
      )
    }
    guard inputShape.count == 4 else {
      throw SwiftKerasError(
        .shapeMismatch,
        "layer '\(layer)' (\(kind)) needs [batch, height, width, channels] inputs, got \(formatShape(inputShape))"
      )
    }
  }
}

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

/// Crops the centre `height × width` of `[batch, height, width, channels]` images, as
/// `keras.layers.CenterCrop`; an image smaller than that along either side is resized to
/// it instead (cropped to the aspect ratio, then bilinear), as Keras does.
///
/// ```swift
/// let crop = CenterCrop(24, 24)   // [n, 28, 28, 1] → [n, 24, 24, 1]
/// ```
public final class CenterCrop: Layer, ConfigInitializable {
  /// The output height.
  @Config(required: true) public var height: Int = 0
  /// The output width.
  @Config(required: true) public var width: Int = 0
  /// The axis order; only `"channels_last"`.
  @Config public var dataFormat: String = "channels_last"

  /// Creates the layer.
  public convenience init(_ height: Int, _ width: Int, name: String? = nil) {
    self.init(name: name)
    self.height = height
    self.width = width
  }

  public override func build(inputShape: Shape) throws {
    try ImageResizing.check(
      name, kind: "CenterCrop", height: height, width: width, dataFormat: dataFormat,
      inputShape: inputShape)
  }

  public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
    let (inputHeight, inputWidth) = (input.shape[1], input.shape[2])
    let (heightExcess, widthExcess) = (inputHeight - height, inputWidth - width)
    guard heightExcess >= 0, widthExcess >= 0 else {
      _ = try RuntimeOptions.checkTensorSize(
        [input.shape[0], height, width, input.shape[3]], of: "layer '\(name)' (CenterCrop) output")
      return ImageResizing.resize(input, to: (height, width), crop: true)
    }
    if heightExcess == 0 && widthExcess == 0 { return input }
    let (top, left) = (heightExcess / 2, widthExcess / 2)
    return input.cropped2d(
      top: top, bottom: heightExcess - top, left: left, right: widthExcess - left)
  }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    [inputShapes[0][0], height, width, inputShapes[0][3]]
  }
}
