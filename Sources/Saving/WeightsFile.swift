import Foundation
import SwiftKerasCore
import SwiftKerasLayers
import SwiftKerasModels
import SwiftKerasTraining

/// A small binary file of named float32 tensors: the default format of
/// ``ModelCheckpoint`` and ``BackupAndRestore`` until `.keras` saving lands.
///
/// Layout (all integers little-endian):
///
/// | bytes | content |
/// |---|---|
/// | 4 | magic `SKWF` |
/// | 4 | UInt32 format version (1) |
/// | 4 + n | UInt32 n, then n bytes of UTF-8 JSON metadata (an object of strings) |
/// | 4 | UInt32 tensor count |
/// | per tensor | UInt32 name length, UTF-8 name, UInt32 rank, rank × UInt64 dimensions, the float32 values in row-major order |
/// | 4 | UInt32 CRC-32C of every preceding byte |
///
/// Files are written with ``AtomicFile`` (temporary file, fsync, rename), so a failed save
/// leaves the previous file intact.
///
/// ```swift
/// try WeightsFile.save(model, to: URL(fileURLWithPath: "best.skw"))
/// try WeightsFile.loadWeights(into: model, from: URL(fileURLWithPath: "best.skw"))
/// ```
public struct WeightsFile: Equatable {
  /// One named tensor.
  public struct Entry: Equatable {
    /// The tensor's name (a model weight's variable name, for model files).
    public var name: String
    /// The values.
    public var tensor: Tensor

    /// Creates an entry.
    public init(name: String, tensor: Tensor) {
      self.name = name
      self.tensor = tensor
    }

    public static func == (lhs: Entry, rhs: Entry) -> Bool {
      lhs.name == rhs.name && lhs.tensor.shape == rhs.tensor.shape
        && lhs.tensor.scalars == rhs.tensor.scalars
    }
  }

  /// Free-form string metadata (epoch counters and the like).
  public var metadata: [String: String]
  /// The tensors, in order.
  public var entries: [Entry]

  static let magic: [UInt8] = Array("SKWF".utf8)
  static let version: UInt32 = 1

  /// Creates a file's content.
  public init(metadata: [String: String] = [:], entries: [Entry]) {
    self.metadata = metadata
    self.entries = entries
  }

  /// The encoded bytes.
  public func encoded() throws -> Data {
    var out = Data()
    out.append(contentsOf: WeightsFile.magic)
    out.appendLittleEndian(WeightsFile.version)
    let json = try JSONSerialization.data(withJSONObject: metadata, options: [.sortedKeys])
    out.appendLittleEndian(UInt32(json.count))
    out.append(json)
    out.appendLittleEndian(UInt32(entries.count))
    for entry in entries {
      let name = Data(entry.name.utf8)
      out.appendLittleEndian(UInt32(name.count))
      out.append(name)
      out.appendLittleEndian(UInt32(entry.tensor.shape.count))
      for dimension in entry.tensor.shape { out.appendLittleEndian(UInt64(dimension)) }
      for value in entry.tensor.scalars { out.appendLittleEndian(value.bitPattern) }
    }
    out.appendLittleEndian(CRC32.castagnoli.checksum(out))
    return out
  }

  /// Decodes bytes written by ``encoded()``.
  ///
  /// - Throws: ``SwiftKerasError`` (`.invalidData`) on a wrong magic or version, a
  ///   truncated file or a checksum mismatch.
  public init(decoding data: Data) throws {
    let bytes = [UInt8](data)
    guard bytes.count >= 20, Array(bytes[0..<4]) == WeightsFile.magic else {
      throw SwiftKerasError(.invalidData, "not a SwiftKeras weights file (expected magic 'SKWF')")
    }
    let stored = bytes.readUInt32(at: bytes.count - 4)
    let computed = CRC32.castagnoli.checksum(bytes[0..<(bytes.count - 4)])
    guard stored == computed else {
      throw SwiftKerasError(
        .invalidData,
        "weights file checksum mismatch: stored \(String(stored, radix: 16)), computed \(String(computed, radix: 16))"
      )
    }
    var reader = ByteReader(bytes: bytes, end: bytes.count - 4)
    reader.offset = 4  // past the magic
    let fileVersion = try reader.uint32()
    guard fileVersion == WeightsFile.version else {
      throw SwiftKerasError(
        .invalidData,
        "weights file version \(fileVersion) is not supported (expected \(WeightsFile.version))")
    }
    let jsonLength = Int(try reader.uint32())
    let json = try reader.take(jsonLength)
    guard let object = try? JSONSerialization.jsonObject(with: Data(json)) as? [String: String]
    else {
      throw SwiftKerasError(.invalidData, "weights file metadata is not a JSON object of strings")
    }
    metadata = object
    let count = Int(try reader.uint32())
    var entries: [Entry] = []
    for _ in 0..<count {
      let nameLength = Int(try reader.uint32())
      let name = String(decoding: try reader.take(nameLength), as: UTF8.self)
      let rank = Int(try reader.uint32())
      var shape: [Int] = []
      for _ in 0..<rank {
        let extent = try reader.uint64()
        guard let value = Int(exactly: extent) else {
          throw SwiftKerasError(
            .invalidData, "weights file: tensor '\(name)' has an extent \(extent) beyond Int")
        }
        shape.append(value)
      }
      guard let size = Tensor.checkedElementCount(shape), size <= (reader.end - reader.offset) / 4
      else {
        throw SwiftKerasError(
          .invalidData, "weights file truncated in tensor '\(name)' of shape \(shape)")
      }
      var scalars = [Float](repeating: 0, count: size)
      for i in 0..<size { scalars[i] = Float(bitPattern: try reader.uint32()) }
      entries.append(Entry(name: name, tensor: Tensor(shape: shape, scalars: scalars)))
    }
    guard reader.offset == reader.end else {
      throw SwiftKerasError(
        .invalidData, "weights file has \(reader.end - reader.offset) unexpected trailing bytes")
    }
    self.entries = entries
  }

  /// Reads a file written by ``write(to:)``.
  public static func read(from url: URL) throws -> WeightsFile {
    let data: Data
    do {
      data = try Data(contentsOf: url)
    } catch {
      throw SwiftKerasError(.io, "cannot read weights file '\(url.path)': \(error)")
    }
    return try WeightsFile(decoding: data)
  }

  /// Writes the file atomically.
  public func write(to url: URL) throws {
    try AtomicFile.write(try encoded(), to: url)
  }

  /// Saves every weight of `model` (in `model.weights` order) to `url`, atomically: the
  /// default saver of ``ModelCheckpoint``.
  public static func save(_ model: Model, to url: URL) throws {
    let entries = zip(model.weights, model.getWeights()).map { Entry(name: $0.name, tensor: $1) }
    try WeightsFile(metadata: ["model": model.name], entries: entries).write(to: url)
  }

  /// Loads weights saved by ``save(_:to:)`` into `model` (matched by order; counts and
  /// shapes must agree).
  public static func loadWeights(into model: Model, from url: URL) throws {
    let file = try read(from: url)
    try model.setWeights(file.entries.map { $0.tensor })
  }
}

extension Data {
  package mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
    Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
  }
}

extension Array where Element == UInt8 {
  func readUInt32(at offset: Int) -> UInt32 {
    var value: UInt32 = 0
    for i in 0..<4 { value |= UInt32(self[offset + i]) << (8 * i) }
    return value
  }
}

/// A bounds-checked little-endian reader.
struct ByteReader {
  let bytes: [UInt8]
  let end: Int
  var offset = 0

  init(bytes: [UInt8], end: Int) {
    self.bytes = bytes
    self.end = end
  }

  mutating func take(_ count: Int) throws -> ArraySlice<UInt8> {
    guard count >= 0, offset + count <= end else {
      throw SwiftKerasError(
        .invalidData,
        "file truncated: needed \(count) bytes at offset \(offset), \(end - offset) left")
    }
    defer { offset += count }
    return bytes[offset..<(offset + count)]
  }

  mutating func uint32() throws -> UInt32 {
    let slice = try take(4)
    return slice.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * $1.offset) }
  }

  mutating func uint64() throws -> UInt64 {
    let slice = try take(8)
    return slice.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * $1.offset) }
  }
}
