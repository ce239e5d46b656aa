import Foundation
import SwiftKeras
import SwiftKerasCore
import TestSupport
import XCTest

/// A fresh temporary directory, removed when the test case tears down.
func makeTemporaryDirectory(_ testCase: XCTestCase) throws -> URL {
  let url = FileManager.default.temporaryDirectory
    .appendingPathComponent("swiftkeras-datasets-tests-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  testCase.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
  return url
}

/// The bytes of an IDX file built by hand: magic `00 00 code rank`, big-endian extents,
/// then `body`. Independent of the code under test.
func handIDX(code: UInt8, shape: [UInt32], body: [UInt8]) -> [UInt8] {
  var bytes: [UInt8] = [0, 0, code, UInt8(shape.count)]
  for extent in shape { bytes += bigEndian32(extent) }
  return bytes + body
}

/// The 4 big-endian bytes of `value`.
func bigEndian32(_ value: UInt32) -> [UInt8] {
  [
    UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF),
    UInt8(value & 0xFF),
  ]
}

/// The 8 big-endian bytes of `value`.
func bigEndian64(_ value: UInt64) -> [UInt8] {
  bigEndian32(UInt32(value >> 32)) + bigEndian32(UInt32(value & 0xFFFF_FFFF))
}

/// Writes `bytes` to `name` in `directory`.
@discardableResult
func writeFile(_ bytes: [UInt8], named name: String, in directory: URL) throws -> URL {
  let url = directory.appendingPathComponent(name)
  try overwriteFile(url, with: bytes)
  return url
}

/// Replaces the contents of `url` with `bytes` using plain C stdio (Foundation's
/// `Data.write` costs milliseconds per call, too slow for fuzzing).
func overwriteFile(_ url: URL, with bytes: [UInt8]) throws {
  guard let file = fopen(url.path, "wb") else {
    throw NSError(domain: "overwriteFile", code: Int(errno))
  }
  let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
  fclose(file)
  guard written == bytes.count else { throw NSError(domain: "overwriteFile", code: 0) }
}

/// Compresses `bytes` with the system's `gzip` program (an independent encoder).
func systemGzip(_ bytes: [UInt8]) throws -> [UInt8] {
  try runFilter("/usr/bin/gzip", ["-c", "-n"], input: bytes)
}

/// Decompresses `bytes` with the system's `gzip -dc`.
func systemGunzip(_ bytes: [UInt8]) throws -> [UInt8] {
  try runFilter("/usr/bin/gzip", ["-dc"], input: bytes)
}

private func runFilter(_ program: String, _ arguments: [String], input: [UInt8]) throws -> [UInt8] {
  let directory = FileManager.default.temporaryDirectory
  let inputURL = directory.appendingPathComponent("filter-in-\(UUID().uuidString)")
  try Data(input).write(to: inputURL)
  defer { try? FileManager.default.removeItem(at: inputURL) }
  let process = Process()
  process.executableURL = URL(fileURLWithPath: program)
  process.arguments = arguments
  process.standardInput = try FileHandle(forReadingFrom: inputURL)
  let pipe = Pipe()
  process.standardOutput = pipe
  try process.run()
  let output = pipe.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  guard process.terminationStatus == 0 else {
    throw NSError(domain: "runFilter", code: Int(process.terminationStatus))
  }
  return [UInt8](output)
}

/// Asserts that `body` throws a ``SwiftKerasError`` of `kind` whose message contains
/// every string in `mentions`.
func assertThrowsSwiftKerasError<T>(
  _ kind: SwiftKerasError.Kind, mentioning mentions: [String],
  file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> T
) {
  do {
    _ = try body()
    XCTFail(
      "expected a \(kind) error mentioning \(mentions), nothing was thrown", file: file, line: line)
  } catch let error as SwiftKerasError {
    XCTAssertEqual(error.kind, kind, "wrong kind for: \(error.message)", file: file, line: line)
    for text in mentions {
      XCTAssertTrue(
        error.message.contains(text), "message \"\(error.message)\" does not mention \"\(text)\"",
        file: file, line: line)
    }
  } catch {
    XCTFail("expected SwiftKerasError, got \(error)", file: file, line: line)
  }
}
