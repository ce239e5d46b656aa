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
