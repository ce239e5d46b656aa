import Foundation
import SwiftKeras
import SwiftKerasCallbacks
import TestSupport

/// A test-side reader of TensorFlow event files: checks every TFRecord CRC and decodes
/// the Event fields the writer uses, independently of the writer's code.
struct ParsedEvent: Equatable {
  var wallTime: Double?
  var step: Int64 = 0
  var fileVersion: String?
  var values: [(tag: String, value: Float)] = []

  static func == (lhs: ParsedEvent, rhs: ParsedEvent) -> Bool {
    lhs.wallTime == rhs.wallTime && lhs.step == rhs.step && lhs.fileVersion == rhs.fileVersion
      && lhs.values.map(\.tag) == rhs.values.map(\.tag)
      && lhs.values.map(\.value) == rhs.values.map(\.value)
  }
}

enum EventFileError: Error {
  case truncated, badLengthCRC, badDataCRC
  case badWireType(Int)
}

func maskedCRC(_ bytes: ArraySlice<UInt8>) -> UInt32 {
  // Bitwise CRC-32C (no table), independent of the module's table-driven one.
  var crc: UInt32 = 0xFFFF_FFFF
  for byte in bytes {
    crc ^= UInt32(byte)
    for _ in 0..<8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
  }
  crc ^= 0xFFFF_FFFF
  return ((crc >> 15) | (crc << 17)) &+ 0xA282_EAD8
}

func littleEndian<T: FixedWidthInteger>(_ bytes: ArraySlice<UInt8>, as: T.Type) -> T {
  bytes.reversed().reduce(T(0)) { ($0 << 8) | T($1) }
}

func readEventFile(_ url: URL) throws -> [ParsedEvent] {
  let bytes = [UInt8](try Data(contentsOf: url))
  var offset = 0
  var events: [ParsedEvent] = []
  while offset < bytes.count {
    guard offset + 12 <= bytes.count else { throw EventFileError.truncated }
    let lengthBytes = bytes[offset..<(offset + 8)]
    let length = Int(littleEndian(lengthBytes, as: UInt64.self))
    guard
      littleEndian(bytes[(offset + 8)..<(offset + 12)], as: UInt32.self) == maskedCRC(lengthBytes)
    else {
      throw EventFileError.badLengthCRC
    }
    let start = offset + 12
    guard start + length + 4 <= bytes.count else { throw EventFileError.truncated }
    let payload = bytes[start..<(start + length)]
    guard
      littleEndian(bytes[(start + length)..<(start + length + 4)], as: UInt32.self)
        == maskedCRC(payload)
    else {
      throw EventFileError.badDataCRC
    }
    events.append(try parseEvent(Array(payload)))
    offset = start + length + 4
  }
  return events
}

/// Iterates the fields of a protobuf message: (field number, wire type, payload).
func protobufFields(_ bytes: [UInt8]) throws -> [(Int, Int, [UInt8])] {
  var fields: [(Int, Int, [UInt8])] = []
  var i = 0
  func varint() throws -> UInt64 {
    var result: UInt64 = 0
    var shift: UInt64 = 0
    while true {
      guard i < bytes.count else { throw EventFileError.truncated }
      let byte = bytes[i]
      i += 1
      result |= UInt64(byte & 0x7F) << shift
      if byte < 0x80 { return result }
      shift += 7
    }
  }
  while i < bytes.count {
    let key = try varint()
    let field = Int(key >> 3)
    let wire = Int(key & 7)
    switch wire {
    case 0:
      let value = try varint()
      fields.append((field, wire, withUnsafeBytes(of: value.littleEndian) { Array($0) }))
    case 1, 5:
      let size = wire == 1 ? 8 : 4
      guard i + size <= bytes.count else { throw EventFileError.truncated }
      fields.append((field, wire, Array(bytes[i..<(i + size)])))
      i += size
    case 2:
      let size = Int(try varint())
      guard i + size <= bytes.count else { throw EventFileError.truncated }
      fields.append((field, wire, Array(bytes[i..<(i + size)])))
      i += size
    default: throw EventFileError.badWireType(wire)
    }
  }
  return fields
}

func parseEvent(_ bytes: [UInt8]) throws -> ParsedEvent {
  var event = ParsedEvent()
  for (field, _, payload) in try protobufFields(bytes) {
    switch field {
    case 1: event.wallTime = Double(bitPattern: littleEndian(payload[...], as: UInt64.self))
    case 2: event.step = Int64(bitPattern: littleEndian(payload[...], as: UInt64.self))
    case 3: event.fileVersion = String(decoding: payload, as: UTF8.self)
    case 5:
      for (summaryField, _, valueBytes) in try protobufFields(payload) where summaryField == 1 {
        var tag = ""
        var value = Float.nan
        for (valueField, _, data) in try protobufFields(valueBytes) {
          if valueField == 1 { tag = String(decoding: data, as: UTF8.self) }
          if valueField == 2 { value = Float(bitPattern: littleEndian(data[...], as: UInt32.self)) }
        }
        event.values.append((tag, value))
      }
    default: break
    }
  }
  return event
}
