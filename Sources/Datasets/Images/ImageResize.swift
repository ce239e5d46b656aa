import SwiftKerasCore

extension DecodedImage {
  /// The image as a dataset array of `size` (height, width): the bytes themselves when the
  /// size already matches (they become floats when batched), else bilinear floats with
  /// half-pixel centres as `tf.image.resize`, after a centred crop to the target's aspect
  /// ratio when `cropToAspectRatio` (Keras's `smart_resize`).
  public func resized(to size: (height: Int, width: Int), cropToAspectRatio: Bool) throws
    -> DataArray
  {
    var (top, left, cropHeight, cropWidth) = (0, 0, height, width)
    if cropToAspectRatio {
      (top, left, cropHeight, cropWidth) = AspectRatioCrop.box(
        height: height, width: width, target: size)
    }
    let (channels, width, pixels) = (self.channels, self.width, self.pixels)
    if cropHeight == size.height && cropWidth == size.width {
      var cropped = [UInt8]()
      cropped.reserveCapacity(cropHeight * cropWidth * channels)
      for row in top..<(top + cropHeight) {
        let start = (row * width + left) * channels
        cropped += pixels[start..<(start + cropWidth * channels)]
      }
      return try DataArray(shape: [cropHeight, cropWidth, channels], bytes: ByteBlock(cropped))
    }
    let crop = Tensor(shape: [1, cropHeight, cropWidth, channels]) { out in
      var o = 0
      for row in top..<(top + cropHeight) {
        let start = (row * width + left) * channels
        for i in start..<(start + cropWidth * channels) {
          out[o] = Float(pixels[i])
          o += 1
        }
      }
    }
    let resized = crop.resizedBilinear2d(height: size.height, width: size.width)
    return DataArray(resized.reshaped(to: [size.height, size.width, channels]))
  }
}
