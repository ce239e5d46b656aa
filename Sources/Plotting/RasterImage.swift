import CZlib
import Foundation
import SwiftKerasCore
import SwiftKerasModels
import SwiftKerasSaving

/// An RGB pixel buffer with the few drawing operations a chart needs, written out as PNG
/// (zlib's deflate for the image data, the CRC-32 of ``CRC32/ieee`` for the chunks).
struct RasterImage {
  let width: Int
  let height: Int
  private(set) var pixels: [UInt8]

  init(width: Int, height: Int) {
    self.width = width
    self.height = height
    pixels = [UInt8](repeating: 255, count: width * height * 3)
  }

  /// `#rrggbb` as three bytes (black for anything else).
  static func color(_ hex: String) -> (UInt8, UInt8, UInt8) {
    guard hex.count == 7, hex.first == "#", let value = UInt32(hex.dropFirst(), radix: 16) else {
      return (0, 0, 0)
    }
    return (UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF))
  }

  mutating func set(_ x: Int, _ y: Int, _ color: (UInt8, UInt8, UInt8)) {
    guard x >= 0, y >= 0, x < width, y < height else { return }
    let i = (y * width + x) * 3
    pixels[i] = color.0
    pixels[i + 1] = color.1
    pixels[i + 2] = color.2
  }

  /// A straight line `thickness` pixels wide (Bresenham, thickened with a square pen).
  mutating func line(
    _ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double, color: String, thickness: Int = 1
  ) {
    let rgb = RasterImage.color(color)
    var (x, y) = (Int(x0.rounded()), Int(y0.rounded()))
    let (xe, ye) = (Int(x1.rounded()), Int(y1.rounded()))
    let dx = abs(xe - x)
    let dy = -abs(ye - y)
    let sx = x < xe ? 1 : -1
    let sy = y < ye ? 1 : -1
    var error = dx + dy
    let low = -(thickness - 1) / 2
    let high = thickness / 2
    while true {
      for ox in low...high { for oy in low...high { set(x + ox, y + oy, rgb) } }
      if x == xe && y == ye { break }
      let e2 = 2 * error
      if e2 >= dy {
        error += dy
        x += sx
      }
      if e2 <= dx {
        error += dx
        y += sy
      }
    }
  }

  /// A rectangle's outline.
  mutating func strokeRect(x: Double, y: Double, width w: Double, height h: Double, color: String) {
    line(x, y, x + w, y, color: color)
    line(x + w, y, x + w, y + h, color: color)
    line(x + w, y + h, x, y + h, color: color)
    line(x, y + h, x, y, color: color)
  }

  /// A filled disc.
  mutating func disc(cx: Double, cy: Double, radius: Double, color: String) {
    let rgb = RasterImage.color(color)
    let r = Int(radius.rounded(.up))
    let (x0, y0) = (Int(cx.rounded()), Int(cy.rounded()))
    for dy in -r...r {
      for dx in -r...r where Double(dx * dx + dy * dy) <= radius * radius {
        set(x0 + dx, y0 + dy, rgb)
      }
    }
  }

  enum Anchor { case start, middle, end }

  /// Text in the 5×7 bitmap font, `scale` pixels per font pixel, with its baseline at `y`.
  mutating func text(
    _ string: String, x: Double, y: Double, scale: Int = 1, anchor: Anchor = .start,
    color: String = "#222222", bold: Bool = false
  ) {
    let rgb = RasterImage.color(color)
    let advance = (BitmapFont.width + 1) * scale
    let total = string.count * advance - scale
    var left = Int(x.rounded())
    switch anchor {
    case .start: break
    case .middle: left -= total / 2
    case .end: left -= total
    }
    let top = Int(y.rounded()) - BitmapFont.height * scale + 1
    for (index, character) in string.enumerated() {
      let originX = left + index * advance
      for (row, bits) in BitmapFont.glyph(character).enumerated() {
        for (column, bit) in bits.enumerated() where bit == "#" {
          for sy in 0..<scale {
            for sx in 0..<(scale + (bold ? 1 : 0)) {
              set(originX + column * scale + sx, top + row * scale + sy, rgb)
            }
          }
        }
      }
    }
  }

  /// The image as a PNG file (8-bit RGB, no interlacing).
  func pngData() throws -> Data {
    var raw = [UInt8]()
    raw.reserveCapacity(height * (width * 3 + 1))
    for y in 0..<height {
      raw.append(0)  // filter type None
      raw.append(contentsOf: pixels[(y * width * 3)..<((y + 1) * width * 3)])
    }
    var compressedLength = compressBound(uLong(raw.count))
    var compressed = [UInt8](repeating: 0, count: Int(compressedLength))
    let status = compressed.withUnsafeMutableBufferPointer { destination in
      raw.withUnsafeBufferPointer { source in
        compress2(
          destination.baseAddress, &compressedLength, source.baseAddress, uLong(source.count), 9)
      }
    }
    guard status == Z_OK else {
      throw SwiftKerasError(.io, "PNG encoding: zlib compress2 failed with status \(status)")
    }
    var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    func chunk(_ type: String, _ body: [UInt8]) {
      let typeBytes = Array(type.utf8)
      png += bigEndian(UInt32(body.count))
      png += typeBytes
      png += body
      png += bigEndian(CRC32.ieee.checksum(typeBytes + body))
    }
    chunk("IHDR", bigEndian(UInt32(width)) + bigEndian(UInt32(height)) + [8, 2, 0, 0, 0])
    chunk("IDAT", Array(compressed[0..<Int(compressedLength)]))
    chunk("IEND", [])
    return Data(png)
  }

  private func bigEndian(_ value: UInt32) -> [UInt8] {
    [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
  }
}
