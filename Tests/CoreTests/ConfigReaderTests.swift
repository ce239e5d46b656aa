import SwiftKeras
import TestSupport
import XCTest

@testable import SwiftKerasCore

/// The one reader behind layer, optimizer, schedule, loss, metric and initializer configs.
final class ConfigReaderTests: XCTestCase {
  private let reader = ConfigReader(
    [
      "units": 64, "rate": 0.5, "flag": true, "name": "d", "axes": [1, 2], "gone": nil,
      "bad": "many",
    ],
    owner: "Dense config")

  func testTypedValuesAndAbsentOrNullKeys() throws {
    XCTAssertEqual(try reader.int("units"), 64)
    XCTAssertEqual(try reader.double("units"), 64)
    XCTAssertEqual(try reader.float("rate"), 0.5)
    XCTAssertEqual(try reader.bool("flag"), true)
    XCTAssertEqual(try reader.string("name"), "d")
    XCTAssertEqual(try reader.ints("axes"), [1, 2])
    XCTAssertNil(try reader.int("missing"))
    XCTAssertNil(try reader.int("gone"), "null reads as absent")
    XCTAssertTrue(reader.has("gone"))
    XCTAssertFalse(reader.has("missing"))
    XCTAssertEqual(try reader.required("units", reader.int("units"), expected: "an integer"), 64)
  }

  func testWrongValuesNameTheOwnerTheKeyAndWhatWasFound() {
    for read in [
      { _ = try self.reader.int("bad") }, { _ = try self.reader.double("bad") },
      { _ = try self.reader.bool("bad") }, { _ = try self.reader.ints("bad") },
      { _ = try self.reader.string("units") },
    ] as [() throws -> Void] {
      XCTAssertThrowsError(try read()) { error in
        let message = "\(error)"
        XCTAssertTrue(message.contains("Dense config"), message)
        XCTAssertTrue(message.contains("'bad'") || message.contains("'units'"), message)
        XCTAssertTrue(message.contains("\"many\"") || message.contains("64"), message)
      }
    }
    XCTAssertThrowsError(
      try reader.required("missing", reader.int("missing"), expected: "an integer")
    ) { error in XCTAssertTrue("\(error)".contains("got nothing"), "\(error)") }
    XCTAssertThrowsError(try ConfigReader(object: [1, 2], owner: "optimizer Adam")) { error in
      XCTAssertTrue("\(error)".contains("optimizer Adam config must be a JSON object"), "\(error)")
    }
    let loss = ConfigReader(
      ["from_logits": 1], owner: "binary_crossentropy", errorKind: .invalidArgument)
    XCTAssertThrowsError(try loss.bool("from_logits")) { error in
      XCTAssertEqual((error as? SwiftKerasError)?.kind, .invalidArgument)
    }
  }
}
