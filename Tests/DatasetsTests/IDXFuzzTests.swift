import Foundation
import SwiftKeras
import SwiftKerasCore
import SwiftKerasDatasets
import TestSupport
import XCTest

/// Mutated valid files (byte flips, truncations, insertions, gzip corruption) either parse
/// into a consistent array or throw a ``SwiftKerasError``; nothing crashes.
final class IDXFuzzTests: XCTestCase {
  func testMutatedFilesParseOrThrow() throws {
    let directory = try makeTemporaryDirectory(self)
    var generator = RandomGenerator(seed: 20_260_101)
    var seeds: [[UInt8]] = []
    for type in IDXDataType.allCases {
      for shape: [UInt32] in [[5], [2, 3], [2, 2, 2]] {
        let count = Int(shape.reduce(1, *)) * type.byteSize
        let body = (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let raw = handIDX(code: type.rawValue, shape: shape, body: body)
        seeds.append(raw)
        seeds.append(try systemGzip(raw))
      }
    }
    let url = directory.appendingPathComponent("fuzz")
    var parsed = 0
    var rejected = 0
    func random(_ n: Int) -> Int { Int(generator.next() % UInt64(Swift.max(n, 1))) }
    for _ in 0..<3000 {
      var bytes = seeds[random(seeds.count)]
      for _ in 0..<(1 + random(3)) {
        switch random(6) {
        case 0, 1:  // flip a byte, often in the header
          let limit = random(2) == 0 ? Swift.min(bytes.count, 16) : bytes.count
          if limit > 0 { bytes[random(limit)] ^= UInt8(1 + random(255)) }
        case 2:  // truncate
          bytes = Array(bytes.prefix(random(bytes.count + 1)))
        case 3:  // insert a random byte
          bytes.insert(UInt8(random(256)), at: random(bytes.count + 1))
        case 4:  // set a header byte to an extreme
          if bytes.count > 4 {
            bytes[random(Swift.min(bytes.count, 12))] = [0x00, 0xFF, 0x80][random(3)]
          }
        default:  // append garbage
          bytes += (0..<(1 + random(4))).map { _ in UInt8(random(256)) }
        }
      }
      try overwriteFile(url, with: bytes)
      do {
        let array = try IDXFile.read(from: url)
        XCTAssertEqual(array.bytes.count, array.shape.reduce(1, *) * array.dataType.byteSize)
        XCTAssertTrue((1...16).contains(array.shape.count))
        let tensor = try IDXFile.readTensor(from: url)
        XCTAssertEqual(tensor.shape, array.shape)
        XCTAssertEqual(
          tensor.scalars.map(\.bitPattern), array.tensor().scalars.map(\.bitPattern))
        parsed += 1
      } catch let error as SwiftKerasError {
        XCTAssertTrue(error.message.contains(url.path), error.message)
        XCTAssertTrue([.invalidData, .io].contains(error.kind))
        rejected += 1
      }
    }
    // Both outcomes must actually occur for the fuzzing to mean anything.
    XCTAssertGreaterThan(parsed, 50)
    XCTAssertGreaterThan(rejected, 500)
  }
}
