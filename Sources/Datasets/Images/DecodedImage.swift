import Foundation
import SwiftKerasCore

/// An 8-bit image: `height × width × channels` bytes, row-major.
public struct DecodedImage: Sendable {
  /// Rows.
  public let height: Int
  /// Columns.
  public let width: Int
  /// Channels per pixel.
  public let channels: Int
  /// The pixels, one byte per channel.
  public let pixels: [UInt8]

  /// Decodes a PNG or JPEG file (told apart by its first bytes, as `tf.io.decode_image`)
  /// into `mode`'s channels.
  ///
  /// - Throws: ``SwiftKerasError`` `.invalidData` naming the file for a truncated or
  ///   corrupt image, an unsupported format (GIF, BMP) or a size over
  ///   ``RuntimeOptions/maximumTensorBytes``; `.io` if it cannot be read.
  public static func read(_ url: URL, mode: ColorMode) throws -> DecodedImage {
    let data: Data
    do {
      data = try Data(contentsOf: url)
    } catch {
      throw SwiftKerasError(.io, "cannot read image '\(url.path)': \(error.localizedDescription)")
    }
    let bytes = [UInt8](data)
    if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) {
      return try PNGDecoder.decode(bytes, mode: mode, name: url.path)
    }
    if bytes.starts(with: [0xFF, 0xD8]) {
      return try JPEGDecoder.decode(bytes, mode: mode, name: url.path)
    }
    let kind =
      bytes.starts(with: Array("GIF".utf8))
      ? "a GIF" : bytes.starts(with: Array("BM".utf8)) ? "a BMP" : "not a PNG or JPEG"
    throw SwiftKerasError(
      .invalidData,
      "image '\(url.path)' is \(kind) file; SwiftKeras decodes PNG and JPEG (convert it, or skip bad files)"
    )
  }

  /// Checks a decoded size before allocating it.
  static func checkSize(width: Int, height: Int, channels: Int, name: String) throws -> Int {
    guard width > 0, height > 0 else {
      throw SwiftKerasError(.invalidData, "image '\(name)' has size \(width)×\(height)")
    }
    return try RuntimeOptions.checkTensorSize([height, width, channels], of: "image '\(name)'")
  }
}
