import Foundation
import SwiftKeras
import SwiftKerasCore
import SwiftKerasDatasets
import TestSupport
import XCTest

/// Compares the preprocessing helpers with Keras 3's own outputs, recorded by
/// `Scripts/fixtures/datasets.py` in `Tests/Fixtures/datasets.json`.
final class KerasFixtureTests: XCTestCase {
  struct Fixture: Decodable {
    struct ToCategorical: Decodable {
      let labels: [Double]
      let labelsShape: [Int]
      let numClasses: Int?
      let shape: [Int]
      let values: [Double]
    }
    struct Normalize: Decodable {
      let shape: [Int]
      let axis: Int
      let order: Int
      let x: [Double]
      let values: [Double]
    }
    struct Standardize: Decodable {
      let shape: [Int]
      let axis: Int?
      let data: [Double]
      let probe: [Double]
      let mean: [Double]
      let variance: [Double]
      let values: [Double]
    }
    struct Split: Decodable {
      let count: Int
      let validationSplit: Double
      let trainCount: Int
      let validationFirst: Int
    }
    let toCategorical: [ToCategorical]
    let normalize: [Normalize]
    let standardize: [Standardize]
    let validationSplit: [Split]
  }

  func loadFixture() throws -> Fixture {
    let url = URL(fileURLWithPath: #filePath)
      .deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Fixtures/datasets.json")
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    return try decoder.decode(Fixture.self, from: Data(contentsOf: url))
  }

  func assertClose(
    _ actual: [Float], _ expected: [Double], tolerance: Double, _ message: String,
    line: UInt = #line
  ) {
    XCTAssertEqual(actual.count, expected.count, message, line: line)
    for (a, e) in zip(actual, expected) {
      XCTAssertEqual(Double(a), e, accuracy: tolerance * (1 + Swift.abs(e)), message, line: line)
    }
  }

  func testToCategoricalMatchesKeras() throws {
    for (i, c) in try loadFixture().toCategorical.enumerated() {
      let labels = Tensor(shape: c.labelsShape, values: c.labels)
      let out = try toCategorical(labels, numClasses: c.numClasses)
      XCTAssertEqual(out.shape, c.shape, "case \(i)")
      XCTAssertEqual(out.scalars, c.values.map { Float($0) }, "case \(i)")
    }
  }

  func testNormalizeMatchesKeras() throws {
    for (i, c) in try loadFixture().normalize.enumerated() {
      let out = try normalize(Tensor(shape: c.shape, values: c.x), axis: c.axis, order: c.order)
      XCTAssertEqual(out.shape, c.shape)
      assertClose(out.scalars, c.values, tolerance: 1e-6, "normalize case \(i)")
    }
  }

  func testStandardizerMatchesKerasNormalizationLayer() throws {
    for (i, c) in try loadFixture().standardize.enumerated() {
      let standardizer = try Standardizer(
        adaptingTo: Tensor(shape: c.shape, values: c.data), axis: c.axis)
      assertClose(standardizer.mean.scalars, c.mean, tolerance: 1e-5, "mean case \(i)")
      assertClose(standardizer.variance.scalars, c.variance, tolerance: 1e-5, "variance case \(i)")
      let out = try standardizer(Tensor(shape: c.shape, values: c.probe))
      assertClose(out.scalars, c.values, tolerance: 1e-5, "output case \(i)")
    }
  }

  func testValidationSplitMatchesKeras() throws {
    for c in try loadFixture().validationSplit {
      let x = Tensor.range(c.count)
      let (train, validation) = try trainValidationSplit([x], validationSplit: c.validationSplit)
      XCTAssertEqual(train[0].shape, [c.trainCount], "n=\(c.count) split=\(c.validationSplit)")
      XCTAssertEqual(validation[0].shape, [c.count - c.trainCount])
      XCTAssertEqual(validation[0].scalars.first, Float(c.validationFirst))
    }
  }
}
