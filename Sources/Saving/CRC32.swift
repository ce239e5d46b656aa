/// A table-driven, reflected 32-bit CRC: ``ieee`` (the CRC-32 of ZIP and PNG) and
/// ``castagnoli`` (the CRC-32C of TFRecord framing and `.skw` files).
///
/// ```swift
/// CRC32.ieee.checksum(Array("123456789".utf8))         // 0xCBF43926
/// CRC32.castagnoli.checksum(Array("123456789".utf8))   // 0xE3069283
/// ```
public struct CRC32: Sendable {
  /// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as ZIP and PNG store it.
  public static let ieee = CRC32(reflectedPolynomial: 0xEDB8_8320)
  /// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), as TFRecord framing uses it.
  public static let castagnoli = CRC32(reflectedPolynomial: 0x82F6_3B78)

  private let table: [UInt32]

  private init(reflectedPolynomial polynomial: UInt32) {
    table = (0..<256).map { index -> UInt32 in
      var crc = UInt32(index)
      for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ polynomial : crc >> 1 }
      return crc
    }
  }

  /// The checksum of `bytes` (0 for no bytes).
  public func checksum<Bytes: Sequence>(_ bytes: Bytes) -> UInt32 where Bytes.Element == UInt8 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
    return crc ^ 0xFFFF_FFFF
  }

  /// TensorFlow's masked CRC of TFRecord framing: `((crc >> 15) | (crc << 17)) + 0xa282ead8`.
  public func masked<Bytes: Sequence>(_ bytes: Bytes) -> UInt32 where Bytes.Element == UInt8 {
    let crc = checksum(bytes)
    return ((crc >> 15) | (crc << 17)) &+ 0xA282_EAD8
  }
}
