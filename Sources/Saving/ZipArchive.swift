import Foundation
import SwiftKerasCore
import SwiftKerasLayers
import SwiftKerasModels
import SwiftKerasTraining

/// The small subset of the ZIP format a `.keras` file uses: Keras writes its archives
/// with `zipfile.ZipFile(path, "w")`, i.e. uncompressed ("stored") members and no ZIP64.
///
/// Reading checks every offset and size against the data and each member's CRC-32, so
/// a truncated or corrupted archive throws instead of trapping. Compressed (deflated)
/// members are reported as unsupported.
struct ZipArchive {
  /// The members by name, in archive order.
  private(set) var members: [(name: String, data: Data)] = []

  /// An empty archive to fill with ``add(_:data:)``.
  init() {}

  /// Appends a member.
  mutating func add(_ name: String, data: Data) {
    members.append((name, data))
  }

  /// The data of the member named `name`, if present.
  func member(_ name: String) -> Data? {
    members.first { $0.name == name }?.data
  }

  // MARK: - Writing

  /// The archive's bytes: local headers and data, central directory, end record.
  func serialized() throws -> Data {
    var out = Data()
    var central = Data()
    for (name, data) in members {
      guard data.count < Int(UInt32.max), out.count < Int(UInt32.max) else {
        throw SwiftKerasError(
          .invalidArgument, "ZIP member '\(name)' is too large (ZIP64 is not supported)")
      }
      let nameBytes = Data(name.utf8)
      let crc = CRC32.ieee.checksum(data)
      let offset = UInt32(out.count)
      // Local file header.
      out.append(le32: 0x0403_4b50)
      out.append(le16: 20)  // version needed
      out.append(le16: 0x0800)  // flags: UTF-8 names
      out.append(le16: 0)  // stored
      out.append(le16: 0)  // time
      out.append(le16: 0x21)  // date: 1980-01-01
      out.append(le32: crc)
      out.append(le32: UInt32(data.count))
      out.append(le32: UInt32(data.count))
      out.append(le16: UInt16(nameBytes.count))
      out.append(le16: 0)
      out.append(nameBytes)
      out.append(data)
      // Central directory entry.
      central.append(le32: 0x0201_4b50)
      central.append(le16: 20)
      central.append(le16: 20)
      central.append(le16: 0x0800)
      central.append(le16: 0)
      central.append(le16: 0)
      central.append(le16: 0x21)
      central.append(le32: crc)
      central.append(le32: UInt32(data.count))
      central.append(le32: UInt32(data.count))
      central.append(le16: UInt16(nameBytes.count))
      central.append(le16: 0)
      central.append(le16: 0)
      central.append(le16: 0)
      central.append(le16: 0)
      central.append(le32: 0o100644 << 16)  // external attributes: a regular file
      central.append(le32: offset)
      central.append(nameBytes)
    }
    let centralOffset = UInt32(out.count)
    out.append(central)
    out.append(le32: 0x0605_4b50)
    out.append(le16: 0)
    out.append(le16: 0)
    out.append(le16: UInt16(members.count))
    out.append(le16: UInt16(members.count))
    out.append(le32: UInt32(central.count))
    out.append(le32: centralOffset)
    out.append(le16: 0)
    return out
  }

  // MARK: - Reading

  /// Parses an archive, validating its structure and every member's checksum.
  ///
  /// - Parameter source: names the archive in error messages.
  init(data: Data, source: String) throws {
    let bytes = [UInt8](data)
    func fail(_ message: String) -> SwiftKerasError {
      SwiftKerasError(.invalidData, "'\(source)' is not a valid .keras (ZIP) archive: \(message)")
    }
    func u16(_ at: Int) throws -> Int {
      guard at >= 0, at + 2 <= bytes.count else { throw fail("truncated at byte \(at)") }
      return Int(bytes[at]) | Int(bytes[at + 1]) << 8
    }
    func u32(_ at: Int) throws -> Int {
      guard at >= 0, at + 4 <= bytes.count else { throw fail("truncated at byte \(at)") }
      return Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 | Int(
        bytes[at + 3]) << 24
    }
    // The end-of-central-directory record is in the last 22 + 65535 bytes.
    guard bytes.count >= 22 else { throw fail("only \(bytes.count) bytes") }
    var end = -1
    var position = bytes.count - 22
    let lowest = max(0, bytes.count - 22 - 65535)
    while position >= lowest {
      if bytes[position] == 0x50, bytes[position + 1] == 0x4b, bytes[position + 2] == 5,
        bytes[position + 3] == 6
      {
        end = position
        break
      }
      position -= 1
    }
    guard end >= 0 else { throw fail("no end-of-central-directory record") }
    let count = try u16(end + 10)
    let centralSize = try u32(end + 12)
    let centralOffset = try u32(end + 16)
    guard centralOffset + centralSize <= end else {
      throw fail("the central directory lies outside the file")
    }
    var cursor = centralOffset
    for _ in 0..<count {
      guard try u32(cursor) == 0x0201_4b50 else {
        throw fail("bad central directory entry at byte \(cursor)")
      }
      let method = try u16(cursor + 10)
      let crc = try u32(cursor + 16)
      let compressedSize = try u32(cursor + 20)
      let size = try u32(cursor + 24)
      let nameLength = try u16(cursor + 28)
      let extraLength = try u16(cursor + 30)
      let commentLength = try u16(cursor + 32)
      let localOffset = try u32(cursor + 42)
      guard cursor + 46 + nameLength <= bytes.count else { throw fail("truncated member name") }
      let name = String(decoding: bytes[(cursor + 46)..<(cursor + 46 + nameLength)], as: UTF8.self)
      cursor += 46 + nameLength + extraLength + commentLength
      guard method == 0 else {
        throw fail(
          "member '\(name)' uses compression method \(method); only stored members (as Keras writes) are supported"
        )
      }
      guard compressedSize == size, size != 0xFFFF_FFFF else {
        throw fail("member '\(name)' has inconsistent sizes (ZIP64 is not supported)")
      }
      guard try u32(localOffset) == 0x0403_4b50 else {
        throw fail("bad local header for '\(name)'")
      }
      let start = localOffset + 30 + (try u16(localOffset + 26)) + (try u16(localOffset + 28))
      guard start + size <= bytes.count else { throw fail("member '\(name)' is truncated") }
      let content = Data(bytes[start..<(start + size)])
      guard CRC32.ieee.checksum(content) == UInt32(crc) else {
        throw fail("member '\(name)' fails its CRC-32 check")
      }
      members.append((name, content))
    }
  }
}

extension Data {
  fileprivate mutating func append(le16 value: UInt16) {
    Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
  }

  fileprivate mutating func append(le32 value: UInt32) {
    Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
  }
}
