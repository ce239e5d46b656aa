import Foundation
import SwiftKeras
import TestSupport
import XCTest

@testable import SwiftKerasCore
@testable import SwiftKerasTraining

/// Tests/Fixtures/optimizers.json, written by Scripts/fixtures/optimizers.py from Keras 3.
struct OptimizerFixture: Decodable {
  struct Pair: Decodable {
    let w: [Float]
    let b: [Float]
  }
  struct Slot: Decodable {
    let shape: [Int]
    let values: [Float]
  }
  struct Case: Decodable {
    let name: String
    let className: String
    let config: ConfigValue
    let noneGradientSteps: [Int]
    let steps: [Pair]
    let slots: [Slot]
    let iterations: Int
  }
  struct Schedule: Decodable {
    let className: String
    let config: ConfigValue
    let steps: [Int]
    let values: [Double]
  }

  let initial: Pair
  let gradients: [Pair]
  let cases: [Case]
  let schedules: [Schedule]

  static func load() throws -> OptimizerFixture {
    let data = try Data(contentsOf: fixtureURL("optimizers.json"))
    return try JSONDecoder().decode(OptimizerFixture.self, from: data)
  }

  func testCase(_ name: String) throws -> Case {
    try XCTUnwrap(cases.first { $0.name == name }, "no fixture case \(name)")
  }

  /// Fresh `w` [3, 4] and `b` [4] variables at the fixture's starting values.
  func makeVariables() -> (Variable, Variable) {
    (
      Variable(Tensor(shape: [3, 4], scalars: initial.w), name: "w"),
      Variable(Tensor(shape: [4], scalars: initial.b), name: "b")
    )
  }

  /// The gradients of step `step` (0-based), with `b`'s missing when the case says so.
  func gradients(step: Int, of testCase: Case) -> [Tensor?] {
    let pair = gradients[step]
    let gb: Tensor? =
      testCase.noneGradientSteps.contains(step) ? nil : Tensor(shape: [4], scalars: pair.b)
    return [Tensor(shape: [3, 4], scalars: pair.w), gb]
  }
}

/// Asserts `actual` equals Keras's `expected` within `tolerance`, absolute for
/// magnitudes below 1 and relative above.
func assertMatchesKeras(
  _ actual: [Float], _ expected: [Float], tolerance: Float = 1e-6, _ context: String,
  file: StaticString = #filePath, line: UInt = #line
) {
  XCTAssertEqual(actual.count, expected.count, "\(context): element count", file: file, line: line)
  for (i, (a, e)) in zip(actual, expected).enumerated() {
    XCTAssertLessThanOrEqual(
      abs(a - e), tolerance * max(1, abs(e)), "\(context) element \(i): got \(a), Keras \(e)",
      file: file, line: line)
  }
}

/// Asserts two configs are equal, comparing numbers by value (so `1` equals `1.0`) and
/// within float64 rounding.
func assertConfigsEqual(
  _ actual: ConfigValue, _ expected: ConfigValue, path: String = "config",
  file: StaticString = #filePath, line: UInt = #line
) {
  switch (actual, expected) {
  case (.object(let a), .object(let e)):
    XCTAssertEqual(
      Set(a.keys), Set(e.keys), "\(path): keys", file: file, line: line)
    for (key, value) in e {
      if let other = a[key] {
        assertConfigsEqual(other, value, path: "\(path).\(key)", file: file, line: line)
      }
    }
  case (.array(let a), .array(let e)):
    XCTAssertEqual(a.count, e.count, "\(path): count", file: file, line: line)
    for (i, (x, y)) in zip(a, e).enumerated() {
      assertConfigsEqual(x, y, path: "\(path)[\(i)]", file: file, line: line)
    }
  default:
    if let a = actual.doubleValue, let e = expected.doubleValue {
      XCTAssertEqual(a, e, accuracy: 1e-12 * max(1, abs(e)), path, file: file, line: line)
    } else {
      XCTAssertEqual(actual, expected, path, file: file, line: line)
    }
  }
}

/// Removes `"name"` from a config object.
func withoutName(_ config: ConfigValue) -> ConfigValue {
  guard var object = config.objectValue else { return config }
  object["name"] = nil
  return .object(object)
}
