import CPNG
import SwiftKerasCore

/// PNG decoding through libpng's simplified API, always to 8-bit RGBA (grey and palette
/// images expand, nothing is composited), then to the requested channels as TensorFlow's
/// `decode_png` does: alpha dropped for RGB, and grey as libpng's fixed-point
/// `(9797 R + 19235 G + 3736 B) >> 15` (ITU-R BT.601 weights 0.299, 0.587, 0.114).
enum PNGDecoder {
  static func decode(_ bytes: [UInt8], mode: ColorMode, name: String) throws -> DecodedImage {
    var image = png_image()
    image.version = UInt32(PNG_IMAGE_VERSION)
    defer { png_image_free(&image) }
    func failure(_ stage: String) -> SwiftKerasError {
      let message = withUnsafeBytes(of: image.message) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
      }
      return SwiftKerasError(
        .invalidData, "PNG image '\(name)' is truncated or corrupt (\(stage): \(message))")
    }
    let began = bytes.withUnsafeBytes { raw in
      png_image_begin_read_from_memory(&image, raw.baseAddress, raw.count)
    }
    guard began != 0 else { throw failure("header") }
    image.format = 3  // PNG_FORMAT_RGBA (PNG_FORMAT_FLAG_COLOR | PNG_FORMAT_FLAG_ALPHA)
    let count = try DecodedImage.checkSize(
      width: Int(image.width), height: Int(image.height), channels: 4, name: name)
    var rgba = [UInt8](repeating: 0, count: count)
    let finished = rgba.withUnsafeMutableBytes { out in
      png_image_finish_read(&image, nil, out.baseAddress, 0, nil)
    }
    guard finished != 0 else { throw failure("pixels") }
    let pixelCount = count / 4
    var pixels: [UInt8]
    switch mode {
    case .rgba:
      pixels = rgba
    case .rgb:
      pixels = [UInt8](repeating: 0, count: pixelCount * 3)
      for p in 0..<pixelCount {
        pixels[3 * p] = rgba[4 * p]
        pixels[3 * p + 1] = rgba[4 * p + 1]
        pixels[3 * p + 2] = rgba[4 * p + 2]
      }
    case .grayscale:
      pixels = [UInt8](repeating: 0, count: pixelCount)
      for p in 0..<pixelCount {
        let weighted =
          9797 * UInt32(rgba[4 * p]) + 19235 * UInt32(rgba[4 * p + 1]) + 3736
          * UInt32(rgba[4 * p + 2])
        pixels[p] = UInt8(weighted >> 15)
      }
    }
    return DecodedImage(
      height: Int(image.height), width: Int(image.width), channels: mode.channels, pixels: pixels)
  }
}
