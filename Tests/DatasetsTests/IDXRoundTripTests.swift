import Foundation
import SwiftKeras
import SwiftKerasCore
import SwiftKerasDatasets
import TestSupport
import XCTest

/// Every type code and several ranks, raw and gzipped, read back exactly.
final class IDXRoundTripTests: XCTestCase {
  /// One hand-encoded case: type code, element values as Doubles, and their big-endian bytes.
  struct Sample {
    let type: IDXDataType
    let values: [Double]
    let body: [UInt8]
  }

  /// Builds `count` values cycling through interesting ones, encoded by hand.
  func sample(_ type: IDXDataType, count: Int) -> Sample {
    var values: [Double] = []
    var body: [UInt8] = []
    for i in 0..<count {
      switch type {
      case .uint8:
        let v = [UInt8(0), 1, 127, 128, 200, 255][i % 6]
        values.append(Double(v))
        body.append(v)
      case .int8:
        let v = [Int8(-128), -1, 0, 1, 100, 127][i % 6]
        values.append(Double(v))
        body.append(UInt8(bitPattern: v))
      case .int16:
        let v = [Int16(-32768), -2, 0, 258, 1000, 32767][i % 6]
        values.append(Double(v))
        body += [UInt8(UInt16(bitPattern: v) >> 8), UInt8(UInt16(bitPattern: v) & 0xFF)]
      case .int32:
        let v = [Int32.min, -70000, 0, 16_909_060, 1 << 24, Int32.max][i % 6]
        values.append(Double(v))
        body += bigEndian32(UInt32(bitPattern: v))
      case .float32:
        let v = [Float(-1.5), 0, 3.25e10, 1e-30, -0.1, .infinity][i % 6]
        values.append(Double(v))
        body += bigEndian32(v.bitPattern)
      case .float64:
        let v = [-2.5, 0, 1e-300, 123_456.789, -0.1, 1e300][i % 6]
        values.append(v)
        body += bigEndian64(v.bitPattern)
      }
    }
    return Sample(type: type, values: values, body: body)
  }

  let shapes: [[Int]] = [[7], [2, 3], [2, 3, 4], [1, 2, 2, 3], [3, 1, 1, 1, 2]]

  func testTypeCodesAreTheIDXOnes() {
    XCTAssertEqual(IDXDataType.allCases.map(\.rawValue), [0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E])
    XCTAssertEqual(IDXDataType.allCases.map(\.byteSize), [1, 1, 2, 4, 4, 8])
  }

  func testReadsEveryTypeAndRankRawAndGzipped() throws {
    let directory = try makeTemporaryDirectory(self)
    for type in IDXDataType.allCases {
      for shape in shapes {
        let count = shape.reduce(1, *)
        let s = sample(type, count: count)
        let file = handIDX(code: type.rawValue, shape: shape.map { UInt32($0) }, body: s.body)
        let raw = try writeFile(file, named: "\(type)-\(shape.count).idx", in: directory)
        let gz = try writeFile(
          try systemGzip(file), named: "\(type)-\(shape.count).idx.gz", in: directory)
        for url in [raw, gz] {
          let array = try IDXFile.read(from: url)
          XCTAssertEqual(array.dataType, type, url.lastPathComponent)
          XCTAssertEqual(array.shape, shape, url.lastPathComponent)
          XCTAssertEqual(array.count, count)
          XCTAssertEqual(array.bytes, s.body, url.lastPathComponent)
          let expected = Tensor(shape: shape, scalars: s.values.map { Float($0) })
          XCTAssertEqual(array.tensor(), expected, url.lastPathComponent)
          XCTAssertEqual(try IDXFile.readTensor(from: url), expected, url.lastPathComponent)
          XCTAssertEqual(try IDXFile.readTensor(from: url.path), expected, url.lastPathComponent)
          try assertTypedValues(array, s.values)
        }
      }
    }
  }

  func assertTypedValues(_ array: IDXArray, _ values: [Double]) throws {
    switch array.dataType {
    case .uint8: XCTAssertEqual(try array.values(as: UInt8.self).map { Double($0) }, values)
    case .int8: XCTAssertEqual(try array.values(as: Int8.self).map { Double($0) }, values)
    case .int16: XCTAssertEqual(try array.values(as: Int16.self).map { Double($0) }, values)
    case .int32: XCTAssertEqual(try array.values(as: Int32.self).map { Double($0) }, values)
    case .float32: XCTAssertEqual(try array.values(as: Float.self).map { Double($0) }, values)
    case .float64: XCTAssertEqual(try array.values(as: Double.self), values)
    }
  }

  func testWriterProducesHandEncodedBytesRawAndGzip() throws {
    let directory = try makeTemporaryDirectory(self)
    for type in IDXDataType.allCases {
      for shape in shapes {
        let s = sample(type, count: shape.reduce(1, *))
        let expected = handIDX(code: type.rawValue, shape: shape.map { UInt32($0) }, body: s.body)
        let array = try IDXArray(dataType: type, shape: shape, bytes: s.body)
        let raw = directory.appendingPathComponent("w-\(type)-\(shape.count)")
        try IDXFile.write(array, to: raw)
        XCTAssertEqual([UInt8](try Data(contentsOf: raw)), expected)
        let gz = directory.appendingPathComponent("w-\(type)-\(shape.count).gz")
        try IDXFile.write(array, to: gz, compressed: true)
        let compressed = [UInt8](try Data(contentsOf: gz))
        XCTAssertEqual(Array(compressed.prefix(2)), [0x1F, 0x8B], "gzip magic")
        XCTAssertEqual(try systemGunzip(compressed), expected)
        XCTAssertEqual(try IDXFile.read(from: gz), array)
      }
    }
    // Only the finished files remain: the temporary files were renamed away.
    let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
    XCTAssertFalse(names.contains { $0.hasPrefix(".") }, "leftover temporary files: \(names)")
  }

  func testWriteReplacesAnExistingFile() throws {
    let directory = try makeTemporaryDirectory(self)
    let url = directory.appendingPathComponent("labels")
    try IDXFile.write(try IDXArray(shape: [3], values: [UInt8(1), 2, 3]), to: url)
    try IDXFile.write(try IDXArray(shape: [1], values: [Int16(-5)]), to: url.path)
    XCTAssertEqual([UInt8](try Data(contentsOf: url)), [0, 0, 0x0B, 1, 0, 0, 0, 1, 0xFF, 0xFB])
  }

  func testWriteIntoMissingDirectoryThrowsIO() throws {
    let directory = try makeTemporaryDirectory(self)
    let url = directory.appendingPathComponent("missing/sub/labels")
    assertThrowsSwiftKerasError(.io, mentioning: [url.path]) {
      try IDXFile.write(try IDXArray(shape: [1], values: [UInt8(1)]), to: url)
    }
  }

  func testScaledToUnitDividesBy255() throws {
    let directory = try makeTemporaryDirectory(self)
    let url = try writeFile(
      handIDX(code: 0x08, shape: [4], body: [0, 51, 102, 255]), named: "pixels", in: directory)
    let expected = Tensor([0, 0.2, 0.4, 1])
    XCTAssertEqual(try IDXFile.read(from: url).tensor(scaledToUnit: true), expected)
    XCTAssertEqual(try IDXFile.readTensor(from: url, scaledToUnit: true), expected)
  }

  func testEmptyExtentReadsAsEmptyArray() throws {
    let directory = try makeTemporaryDirectory(self)
    let url = try writeFile(
      handIDX(code: 0x0D, shape: [0, 28], body: []), named: "empty", in: directory)
    let array = try IDXFile.read(from: url)
    XCTAssertEqual(array.shape, [0, 28])
    XCTAssertEqual(array.bytes, [])
    XCTAssertEqual(try IDXFile.readTensor(from: url).shape, [0, 28])
    let built = try IDXArray(shape: [3, 0], values: [Double]())
    XCTAssertEqual(built.bytes, [])
    XCTAssertEqual(try built.values(as: Double.self), [])
    let written = directory.appendingPathComponent("empty-written.gz")
    try IDXFile.write(built, to: written, compressed: true)
    XCTAssertEqual(try IDXFile.read(from: written), built)
  }

  func testConcatenatedGzipMembersDecodeAsOneStream() throws {
    let directory = try makeTemporaryDirectory(self)
    let file = handIDX(code: 0x08, shape: [2, 3], body: [1, 2, 3, 4, 5, 6])
    let joined = try systemGzip(Array(file[0..<7])) + systemGzip(Array(file[7...]))
    let url = try writeFile(joined, named: "two-members.gz", in: directory)
    XCTAssertEqual(try IDXFile.read(from: url).bytes, [1, 2, 3, 4, 5, 6])
  }

  func testLargeGzipFileStreamsThroughManyWindows() throws {
    // 3 MB of decoded data crosses the decoder's input window and the tensor chunking.
    let directory = try makeTemporaryDirectory(self)
    var generator = RandomGenerator(seed: 3)
    let count = 3_000_000
    let body = (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next() >> 60) }
    let url = try writeFile(
      try systemGzip(handIDX(code: 0x08, shape: [1000, 3000], body: body)), named: "big.gz",
      in: directory)
    let array = try IDXFile.read(from: url)
    XCTAssertEqual(array.bytes, body)
    let tensor = try IDXFile.readTensor(from: url)
    XCTAssertEqual(tensor.shape, [1000, 3000])
    XCTAssertEqual(tensor.scalars, body.map { Float($0) })
  }

  func testArrayFromTensorChecksIntegerRange() throws {
    let ok = try IDXArray(Tensor([[1, 2], [3, 255]]), dataType: .uint8)
    XCTAssertEqual(ok.bytes, [1, 2, 3, 255])
    XCTAssertEqual(ok.shape, [2, 2])
    let i16 = try IDXArray(Tensor([-2, 258]), dataType: .int16)
    XCTAssertEqual(i16.bytes, [0xFF, 0xFE, 0x01, 0x02])
    let f32 = try IDXArray(Tensor([1.5]), dataType: .float32)
    XCTAssertEqual(f32.bytes, [0x3F, 0xC0, 0, 0])
    assertThrowsSwiftKerasError(.invalidArgument, mentioning: ["256"]) {
      try IDXArray(Tensor([1, 256]), dataType: .uint8)
    }
    assertThrowsSwiftKerasError(.invalidArgument, mentioning: ["0.5"]) {
      try IDXArray(Tensor([0.5]), dataType: .int32)
    }
    assertThrowsSwiftKerasError(.invalidArgument, mentioning: ["axes"]) {
      try IDXArray(Tensor(3), dataType: .float32)
    }
    assertThrowsSwiftKerasError(.invalidArgument, mentioning: ["needs"]) {
      try IDXArray(dataType: .int16, shape: [3], bytes: [1, 2, 3])
    }
    assertThrowsSwiftKerasError(.invalidArgument, mentioning: ["Float"]) {
      try ok.values(as: Float.self)
    }
  }
}
