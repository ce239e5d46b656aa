import SwiftKerasCore

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
