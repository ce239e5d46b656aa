import Foundation
import SwiftKerasCore

/// The binary file of a file-backed ``Dataset/cache(file:memoryLimitBytes:)``: a magic
/// line, then per element a 1 byte, the number of inputs, targets and weights, and each
/// array as kind, rank, extents and values (little-endian); a 0 byte ends the file.
enum CacheFileFormat {
  static let magic = Array("SwiftKeras dataset cache 1\n".utf8)
}

/// Writes elements to a cache file.
final class CacheFileWriter {
  private let handle: FileHandle
  private let url: URL
  private var buffer: [UInt8] = []

  init(_ url: URL) throws {
    self.url = url
    guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
      throw SwiftKerasError(.io, "Dataset.cache: cannot create '\(url.path)'")
    }
    do {
      handle = try FileHandle(forWritingTo: url)
    } catch {
      throw SwiftKerasError(.io, "Dataset.cache: cannot write '\(url.path)': \(error)")
    }
    buffer = CacheFileFormat.magic
  }

  private func append<T: FixedWidthInteger>(_ value: T) {
    withUnsafeBytes(of: value.littleEndian) { buffer.append(contentsOf: $0) }
  }

  func write(_ element: DatasetElement) throws {
    buffer.append(1)
    append(UInt32(element.x.count))
    append(UInt32(element.y.count))
    buffer.append(element.sampleWeight == nil ? 0 : 1)
    for array in element.arrays {
      switch array.storage {
      case .float: buffer.append(0)
      case .bytes: buffer.append(1)
      case .strings: buffer.append(2)
      }
      append(UInt32(array.shape.count))
      for extent in array.shape { append(Int64(extent)) }
      switch array.storage {
      case .float(let tensor):
        tensor.withUnsafeBufferPointer { values in
          for value in values { append(value.bitPattern) }
        }
      case .bytes(let block, let offset):
        buffer.append(contentsOf: block.bytes[offset..<(offset + array.count)])
      case .strings(let values):
        for value in values {
          let utf8 = Array(value.utf8)
          append(UInt32(utf8.count))
          buffer.append(contentsOf: utf8)
        }
      }
    }
    if buffer.count >= 1 << 20 { try flush() }
  }

  private func flush() throws {
    do {
      try handle.write(contentsOf: Data(buffer))
    } catch {
      throw SwiftKerasError(.io, "Dataset.cache: writing '\(url.path)' failed: \(error)")
    }
    buffer.removeAll(keepingCapacity: true)
  }

  /// Ends the file and renames it to `target`.
  func finish(movingTo target: URL) throws {
    buffer.append(0)
    try flush()
    try? handle.close()
    try? FileManager.default.removeItem(at: target)
    do {
      try FileManager.default.moveItem(at: url, to: target)
    } catch {
      throw SwiftKerasError(.io, "Dataset.cache: cannot move '\(url.path)' to '\(target.path)'")
    }
  }
}

/// Reads a cache file element by element, checking every length against the file.
final class CacheFileReader {
  private let bytes: Data
  private let url: URL
  private var position: Int

  init(_ url: URL) throws {
    self.url = url
    do {
      bytes = try Data(contentsOf: url, options: .alwaysMapped)
    } catch {
      throw SwiftKerasError(.io, "Dataset.cache: cannot read '\(url.path)': \(error)")
    }
    guard bytes.starts(with: CacheFileFormat.magic) else {
      throw SwiftKerasError(
        .invalidData, "Dataset.cache: '\(url.path)' is not a dataset cache file")
    }
    position = CacheFileFormat.magic.count
  }

  private func corrupt(_ what: String) -> SwiftKerasError {
    SwiftKerasError(
      .invalidData,
      "Dataset.cache: '\(url.path)' is truncated or corrupt at byte \(position) (\(what))")
  }

  private func take(_ count: Int) throws -> Data {
    guard count >= 0, count <= bytes.count - position else { throw corrupt("needs \(count) bytes") }
    let start = bytes.startIndex + position
    position += count
    return bytes[start..<(start + count)]
  }

  private func read<T: FixedWidthInteger>(_: T.Type) throws -> T {
    let data = try take(MemoryLayout<T>.size)
    var value: T = 0
    for (i, byte) in data.enumerated() { value |= T(byte) << (8 * i) }
    return value
  }

  func next() throws -> DatasetElement? {
    let tag = try read(UInt8.self)
    if tag == 0 { return nil }
    guard tag == 1 else { throw corrupt("element tag \(tag)") }
    let xCount = Int(try read(UInt32.self))
    let yCount = Int(try read(UInt32.self))
    let weighted = try read(UInt8.self) == 1
    let total = xCount + yCount + (weighted ? 1 : 0)
    guard total <= 1 << 16 else { throw corrupt("\(total) arrays") }
    var arrays: [DataArray] = []
    for _ in 0..<total {
      let kind = try read(UInt8.self)
      let rank = Int(try read(UInt32.self))
      guard rank <= 32 else { throw corrupt("rank \(rank)") }
      var shape: [Int] = []
      for _ in 0..<rank {
        let extent = try read(Int64.self)
        guard extent >= 0, extent <= Int64(Int.max) else { throw corrupt("extent \(extent)") }
        shape.append(Int(extent))
      }
      guard let count = Tensor.checkedElementCount(shape) else { throw corrupt("shape \(shape)") }
      switch kind {
      case 0:
        guard count <= (bytes.count - position) / 4 else { throw corrupt("\(count) floats") }
        let data = try take(count * 4)
        let tensor = Tensor(shape: shape) { out in
          data.withUnsafeBytes { raw in
            for i in 0..<count {
              out[i] = Float(
                bitPattern: UInt32(
                  littleEndian: raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)))
            }
          }
        }
        arrays.append(DataArray(tensor))
      case 1:
        arrays.append(try DataArray(shape: shape, bytes: ByteBlock(Array(try take(count)))))
      case 2:
        var values: [String] = []
        for _ in 0..<count {
          let length = Int(try read(UInt32.self))
          values.append(String(decoding: try take(length), as: UTF8.self))
        }
        arrays.append(try DataArray(shape: shape, strings: values))
      default:
        throw corrupt("array kind \(kind)")
      }
    }
    return DatasetElement(
      x: Array(arrays[0..<xCount]), y: Array(arrays[xCount..<(xCount + yCount)]),
      sampleWeight: weighted ? arrays[xCount + yCount] : nil)
  }
}
