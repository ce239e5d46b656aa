import Foundation
import SwiftKeras
import SwiftKerasCore
import SwiftKerasDatasets
import TestSupport
import XCTest

/// Every kind of bad file throws a ``SwiftKerasError`` of the right kind naming the file.
final class IDXErrorTests: XCTestCase {
  var directory: URL!

  override func setUpWithError() throws {
    directory = try makeTemporaryDirectory(self)
  }

  /// Writes `bytes` and asserts both readers throw `kind` naming the file and `problem`.
  func assertRejects(
    _ bytes: [UInt8], _ kind: SwiftKerasError.Kind = .invalidData, mentioning problem: String,
    file: StaticString = #filePath, line: UInt = #line
  ) throws {
    let url = try writeFile(bytes, named: "case-\(UUID().uuidString)", in: directory)
    assertThrowsSwiftKerasError(kind, mentioning: [url.path, problem], file: file, line: line) {
      try IDXFile.read(from: url)
    }
    assertThrowsSwiftKerasError(kind, mentioning: [url.path, problem], file: file, line: line) {
      try IDXFile.readTensor(from: url)
    }
  }

  let valid = handIDX(code: 0x08, shape: [2, 3], body: [1, 2, 3, 4, 5, 6])

  func testMissingFileThrowsIO() {
    let url = directory.appendingPathComponent("nope-idx1-ubyte")
    assertThrowsSwiftKerasError(.io, mentioning: [url.path, "cannot open"]) {
      try IDXFile.read(from: url)
    }
  }

  func testDirectoryThrowsIO() {
    assertThrowsSwiftKerasError(.io, mentioning: [directory.path, "directory"]) {
      try IDXFile.read(from: directory)
    }
  }

  func testEmptyFile() throws {
    try assertRejects([], mentioning: "truncated header")
  }

  func testWrongMagic() throws {
    try assertRejects([0x01, 0x00, 0x08, 0x01, 0, 0, 0, 1, 7], mentioning: "wrong magic")
    try assertRejects(Array("hello world".utf8), mentioning: "wrong magic")
  }

  func testUnknownTypeCode() throws {
    try assertRejects([0, 0, 0x0A, 1, 0, 0, 0, 1, 7], mentioning: "unknown data type code 0x0A")
  }

  func testRankZeroAndAbsurdRank() throws {
    try assertRejects([0, 0, 0x08, 0], mentioning: "rank 0")
    try assertRejects([0, 0, 0x08, 17] + [UInt8](repeating: 0, count: 68), mentioning: "rank 17")
  }

  func testTruncatedHeader() throws {
    try assertRejects([0, 0, 0x08], mentioning: "truncated header")
    try assertRejects([0, 0, 0x08, 3, 0, 0, 0, 2, 0, 0], mentioning: "truncated header")
  }

  func testTruncatedData() throws {
    try assertRejects(Array(valid.dropLast(2)), mentioning: "truncated data")
  }

  func testTrailingGarbage() throws {
    try assertRejects(valid + [9, 9], mentioning: "trailing garbage")
  }

  func testDimensionProductOverflow() throws {
    let huge = [UInt32](repeating: 0xFFFF_FFFF, count: 4)
    try assertRejects(handIDX(code: 0x0E, shape: huge, body: [1, 2]), mentioning: "overflows")
  }

  func testDimensionsExceedingTheFile() throws {
    try assertRejects(
      handIDX(code: 0x08, shape: [60000, 28, 28], body: [1, 2, 3]), mentioning: "truncated data")
  }

  func testGzipDeclaringMoreThanItCanHold() throws {
    let compressed = try systemGzip(handIDX(code: 0x08, shape: [1_000_000_000], body: [1, 2, 3]))
    try assertRejects(compressed, mentioning: "could decompress")
  }

  func testGzipWithTruncatedDecodedData() throws {
    try assertRejects(try systemGzip(Array(valid.dropLast(1))), mentioning: "truncated data")
  }

  func testGzipWithTrailingDecodedData() throws {
    try assertRejects(try systemGzip(valid + [0]), mentioning: "trailing garbage")
  }

  func testTruncatedGzipStream() throws {
    let compressed = try systemGzip(valid)
    try assertRejects(Array(compressed.dropLast(8)), mentioning: "truncated gzip")
    try assertRejects(Array(compressed.prefix(12)), mentioning: "gzip")
    try assertRejects([0x1F, 0x8B], mentioning: "gzip")
  }

  func testCorruptGzipChecksum() throws {
    var compressed = try systemGzip(valid)
    // The gzip trailer is CRC-32 then length; flip a CRC bit.
    compressed[compressed.count - 8] ^= 0x01
    try assertRejects(compressed, mentioning: "corrupt gzip")
  }

  func testCorruptGzipHeader() throws {
    var compressed = try systemGzip(valid)
    compressed[2] = 0x07  // compression method must be 8 (deflate)
    try assertRejects(compressed, mentioning: "corrupt gzip")
  }

  func testGarbageAfterGzipStream() throws {
    let compressed = try systemGzip(valid)
    try assertRejects(compressed + [0x55, 0x66, 0x77], mentioning: "gzip")
  }

  func testNonRegularFileThrowsIO() throws {
    let fifo = directory.appendingPathComponent("pipe")
    XCTAssertEqual(mkfifo(fifo.path, 0o600), 0)
    assertThrowsSwiftKerasError(.io, mentioning: [fifo.path, "regular file"]) {
      try IDXFile.read(from: fifo)
    }
  }
}
