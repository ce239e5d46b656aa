import CZlib
import Foundation
import SwiftKeras
import SwiftKerasCallbacks
import SwiftKerasCore
import SwiftKerasModels
import TestSupport
import XCTest

@testable import SwiftKerasPlotting

/// The PNG chart: a well-formed file (chunk CRCs, IHDR, inflatable IDAT of the right
/// size) whose pixels show both series' colours.
final class HistoryPNGTests: XCTestCase {
  func bigEndian(_ bytes: ArraySlice<UInt8>) -> Int {
    bytes.reduce(0) { $0 << 8 | Int($1) }
  }

  func testPNGIsWellFormedAndDrawsTheSeries() throws {
    let history = History()
    history.onTrainBegin(logs: [:])
    for (epoch, loss) in [1.0, 0.6, 0.4, 0.35].enumerated() {
      history.onEpochEnd(epoch, logs: ["loss": Float(loss), "val_loss": Float(loss + 0.1)])
    }
    let png = [UInt8](try history.png(title: "test"))
    XCTAssertEqual(Array(png[0..<8]), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    var offset = 8
    var chunks: [(String, [UInt8])] = []
    while offset + 12 <= png.count {
      let length = bigEndian(png[offset..<(offset + 4)])
      let type = String(decoding: png[(offset + 4)..<(offset + 8)], as: UTF8.self)
      let body = Array(png[(offset + 8)..<(offset + 8 + length)])
      let stored = UInt(bigEndian(png[(offset + 8 + length)..<(offset + 12 + length)]))
      let computed = (Array(type.utf8) + body).withUnsafeBufferPointer {
        crc32(0, $0.baseAddress, uInt($0.count))
      }
      XCTAssertEqual(stored, computed, "CRC of \(type)")
      chunks.append((type, body))
      offset += 12 + length
    }
    XCTAssertEqual(offset, png.count)
    XCTAssertEqual(chunks.map { $0.0 }, ["IHDR", "IDAT", "IEND"])
    let header = chunks[0].1
    let (width, height) = (bigEndian(header[0..<4]), bigEndian(header[4..<8]))
    XCTAssertEqual(Array(header[8...]), [8, 2, 0, 0, 0], "8-bit RGB")
    XCTAssertGreaterThan(width, 100)
    var raw = [UInt8](repeating: 0, count: height * (width * 3 + 1))
    var rawLength = uLong(raw.count)
    let status = raw.withUnsafeMutableBufferPointer { destination in
      chunks[1].1.withUnsafeBufferPointer { source in
        uncompress(destination.baseAddress, &rawLength, source.baseAddress, uLong(source.count))
      }
    }
    XCTAssertEqual(status, Z_OK)
    XCTAssertEqual(Int(rawLength), raw.count)
    var colours = Set<[UInt8]>()
    for y in 0..<height {
      let row = y * (width * 3 + 1)
      XCTAssertEqual(raw[row], 0, "filter byte")
      for x in 0..<width { colours.insert(Array(raw[(row + 1 + x * 3)..<(row + 4 + x * 3)])) }
    }
    XCTAssertTrue(colours.contains([0x1F, 0x77, 0xB4]), "training series colour")
    XCTAssertTrue(colours.contains([0xFF, 0x7F, 0x0E]), "validation series colour")
    XCTAssertTrue(colours.contains([255, 255, 255]), "background")
  }

  func testPlotChoosesTheFormatByExtension() throws {
    let history = History()
    history.onTrainBegin(logs: [:])
    history.onEpochEnd(0, logs: ["loss": 1])
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "png-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    try history.plot(to: directory.appendingPathComponent("h.png").path)
    try history.plot(to: directory.appendingPathComponent("h.svg").path)
    let png = try Data(contentsOf: directory.appendingPathComponent("h.png"))
    let svg = try String(contentsOf: directory.appendingPathComponent("h.svg"), encoding: .utf8)
    XCTAssertEqual(Array(png.prefix(4)), [0x89, 0x50, 0x4E, 0x47])
    XCTAssertTrue(svg.hasPrefix("<?xml"))
  }
}
