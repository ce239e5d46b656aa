import CTurboJPEG
import SwiftKerasCore

/// JPEG decoding through libjpeg-turbo's TurboJPEG API with TensorFlow's `decode_jpeg`
/// defaults — the fast integer DCT (`INTEGER_FAST`) and fancy upsampling — so the pixels
/// equal what `image_dataset_from_directory` decodes (fixture-checked); warnings such as a
/// premature end of data are errors, as TensorFlow's `try_recover_truncated=False`.
enum JPEGDecoder {
  private static func pixelFormat(_ mode: ColorMode) -> Int32 {
    switch mode {
    case .grayscale: return Int32(TJPF_GRAY.rawValue)
    case .rgb: return Int32(TJPF_RGB.rawValue)
    case .rgba: return Int32(TJPF_RGBA.rawValue)
    }
  }

  static func decode(_ bytes: [UInt8], mode: ColorMode, name: String) throws -> DecodedImage {
    guard let handle = tjInitDecompress() else {
      throw SwiftKerasError(.invalidState, "cannot start the JPEG decoder for '\(name)'")
    }
    defer { tjDestroy(handle) }
    func failure(_ stage: String) -> SwiftKerasError {
      let message = tjGetErrorStr2(handle).map { String(cString: $0) } ?? "unknown error"
      return SwiftKerasError(
        .invalidData, "JPEG image '\(name)' is truncated or corrupt (\(stage): \(message))")
    }
    var width: Int32 = 0
    var height: Int32 = 0
    var subsampling: Int32 = 0
    var colorspace: Int32 = 0
    let header = bytes.withUnsafeBufferPointer { source in
      tjDecompressHeader3(
        handle, source.baseAddress, UInt(source.count), &width, &height, &subsampling, &colorspace)
    }
    guard header == 0 else { throw failure("header") }
    let count = try DecodedImage.checkSize(
      width: Int(width), height: Int(height), channels: mode.channels, name: name)
    var pixels = [UInt8](repeating: 0, count: count)
    let flags = Int32(TJFLAG_STOPONWARNING | TJFLAG_FASTDCT)
    let decoded = bytes.withUnsafeBufferPointer { source in
      pixels.withUnsafeMutableBufferPointer { out in
        tjDecompress2(
          handle, source.baseAddress, UInt(source.count), out.baseAddress, width, 0, height,
          pixelFormat(mode), flags)
      }
    }
    guard decoded == 0 else { throw failure("pixels") }
    return DecodedImage(
      height: Int(height), width: Int(width), channels: mode.channels, pixels: pixels)
  }
}
