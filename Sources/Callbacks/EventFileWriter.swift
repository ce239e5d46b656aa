import Foundation
import SwiftKerasCore
import SwiftKerasModels
import SwiftKerasSaving
import SwiftKerasTraining
import Synchronization

/// Writes TensorFlow event files (`events.out.tfevents.*`) holding scalar summaries, as
/// `tf.summary` does, without a protobuf dependency.
///
/// Each record is TFRecord-framed: the payload length (UInt64 little-endian), its masked
/// CRC-32C, the payload, and the payload's masked CRC-32C. Payloads are `Event` protocol
/// buffers, hand-encoded: `wall_time` (field 1, double), `step` (2, int64),
/// `file_version` (3, string, the first record: `"brain.Event:2"`) and `summary` (5), a
/// `Summary` whose repeated `value` (1) entries carry `tag` (1, string) and
/// `simple_value` (2, float).
///
/// ```swift
/// let writer = try EventFileWriter(directory: URL(fileURLWithPath: "logs/train"))
/// try writer.addScalar("epoch_loss", 0.25, step: 0)
/// try writer.close()
/// ```
public final class EventFileWriter {
  /// The file being written.
  public let url: URL
  private var handle: FileHandle?
  private static let counter = Atomic<Int>(0)

  /// Creates `directory` if needed and starts a new event file in it, named
  /// `events.out.tfevents.<seconds>.<host>.<pid>.<n>.v2` as TensorFlow names them.
  public init(directory: URL) throws {
    do {
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    } catch {
      throw SwiftKerasError(.io, "cannot create log directory '\(directory.path)': \(error)")
    }
    let sequence = EventFileWriter.counter.wrappingAdd(1, ordering: .relaxed).newValue
    let host = ProcessInfo.processInfo.hostName
    let name =
      "events.out.tfevents.\(Int(Date().timeIntervalSince1970)).\(host).\(ProcessInfo.processInfo.processIdentifier).\(sequence).v2"
    url = directory.appendingPathComponent(name)
    guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
      throw SwiftKerasError(.io, "cannot create event file '\(url.path)'")
    }
    do {
      handle = try FileHandle(forWritingTo: url)
    } catch {
      throw SwiftKerasError(.io, "cannot open event file '\(url.path)': \(error)")
    }
    var event = ProtobufWriter()
    event.double(field: 1, Date().timeIntervalSince1970)
    event.bytes(field: 3, Array("brain.Event:2".utf8))
    try writeRecord(event.bytes)
  }

  /// Appends one scalar summary event.
  public func addScalar(
    _ tag: String, _ value: Float, step: Int, wallTime: Double = Date().timeIntervalSince1970
  )
    throws
  {
    try addScalars([(tag, value)], step: step, wallTime: wallTime)
  }

  /// Appends one event per scalar, all at the same step (as `tf.summary.scalar` does).
  public func addScalars(
    _ values: [(String, Float)], step: Int, wallTime: Double = Date().timeIntervalSince1970
  )
    throws
  {
    for (tag, value) in values {
      var entry = ProtobufWriter()
      entry.bytes(field: 1, Array(tag.utf8))
      entry.float(field: 2, value)
      var summary = ProtobufWriter()
      summary.bytes(field: 1, entry.bytes)
      var event = ProtobufWriter()
      event.double(field: 1, wallTime)
      event.varint(field: 2, UInt64(bitPattern: Int64(step)))
      event.bytes(field: 5, summary.bytes)
      try writeRecord(event.bytes)
    }
  }

  /// Flushes the file to disk.
  public func flush() throws {
    do {
      try handle?.synchronize()
    } catch {
      throw SwiftKerasError(.io, "cannot flush event file '\(url.path)': \(error)")
    }
  }

  /// Flushes and closes the file; later writes throw.
  public func close() throws {
    try flush()
    try? handle?.close()
    handle = nil
  }

  /// The TFRecord framing of `payload`.
  static func record(_ payload: [UInt8]) -> Data {
    var data = Data()
    var length = Data()
    length.appendLittleEndian(UInt64(payload.count))
    data.append(length)
    data.appendLittleEndian(CRC32.castagnoli.masked(length))
    data.append(contentsOf: payload)
    data.appendLittleEndian(CRC32.castagnoli.masked(payload))
    return data
  }

  private func writeRecord(_ payload: [UInt8]) throws {
    guard let handle else {
      throw SwiftKerasError(.invalidState, "event file '\(url.path)' is closed")
    }
    do {
      try handle.write(contentsOf: EventFileWriter.record(payload))
    } catch {
      throw SwiftKerasError(.io, "cannot write event file '\(url.path)': \(error)")
    }
  }
}

/// The few protocol-buffer wire encodings event files need.
struct ProtobufWriter {
  private(set) var bytes: [UInt8] = []

  mutating func rawVarint(_ value: UInt64) {
    var v = value
    while v >= 0x80 {
      bytes.append(UInt8(v & 0x7F) | 0x80)
      v >>= 7
    }
    bytes.append(UInt8(v))
  }

  /// Wire type 0.
  mutating func varint(field: Int, _ value: UInt64) {
    rawVarint(UInt64(field << 3))
    rawVarint(value)
  }

  /// Wire type 1.
  mutating func double(field: Int, _ value: Double) {
    rawVarint(UInt64(field << 3 | 1))
    withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
  }

  /// Wire type 5.
  mutating func float(field: Int, _ value: Float) {
    rawVarint(UInt64(field << 3 | 5))
    withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
  }

  /// Wire type 2 (strings, bytes, nested messages).
  mutating func bytes(field: Int, _ value: [UInt8]) {
    rawVarint(UInt64(field << 3 | 2))
    rawVarint(UInt64(value.count))
    bytes.append(contentsOf: value)
  }
}
