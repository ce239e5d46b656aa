import Foundation
import SwiftKeras
import SwiftKerasCore
import SwiftKerasLayers
import TestSupport
import XCTest

/// Hashing (and StringLookup's FarmHash OOV buckets) against Keras
/// (Tests/Fixtures/preprocessing.json, written by Scripts/fixtures/preprocessing.py).
final class HashingLayerTests: XCTestCase {
  private func cases() throws -> [[String: Any]] {
    let data = try Data(contentsOf: fixtureURL("preprocessing.json"))
    let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    return try XCTUnwrap(object["hashing"] as? [[String: Any]])
  }

  func testBucketsEqualKeras() throws {
    let all = try cases()
    XCTAssertEqual(all.count, 9)
    for item in all {
      let id = try XCTUnwrap(item["id"] as? String)
      let shape = try XCTUnwrap(item["input_shape"] as? [Int])
      let expected = try XCTUnwrap(item["output"] as? [Double])
      let output: Tensor
      if id == "string_lookup_oov3" {
        let lookup = StringLookup(numOovIndices: 3, vocabulary: ["a", "b"])
        output = try lookup(
          StringTensor(shape: shape, values: try XCTUnwrap(item["strings"] as? [String])))
        assertConfigMatches(lookup.getConfig(), try XCTUnwrap(item["config"] as? [String: Any]), id)
      } else {
        let mask: ConfigValue =
          (item["mask_value"] as? String).map { .string($0) }
          ?? (item["mask_value"] as? Int).map { .int($0) } ?? .null
        let layer = Hashing(
          numBins: try XCTUnwrap(item["num_bins"] as? Int), maskValue: mask,
          outputMode: item["output_mode"] as? String ?? "int", name: id)
        if let strings = item["strings"] as? [String] {
          output = try layer(try StringTensor(shape: shape, values: strings))
        } else {
          output = try layer(
            Tensor(shape: shape, scalars: try XCTUnwrap(item["input"] as? [Double]).map(Float.init))
          )
        }
        if let outputShape = item["output_shape"] as? [Int] {
          XCTAssertEqual(output.shape, outputShape, id)
        }
        assertConfigMatches(layer.getConfig(), try XCTUnwrap(item["config"] as? [String: Any]), id)
      }
      XCTAssertEqual(output.scalars.map(Double.init), expected, id)
    }
  }

  func testHashingRoundTripsThroughAKerasFileAndRejectsSalt() throws {
    let folder = try makeTemporaryDirectory("hashing-layers")
    defer { try? FileManager.default.removeItem(at: folder) }
    for (key, model, x) in try HashingExport.models() {
      let path = folder.appendingPathComponent("\(key).keras").path
      try model.save(to: path)
      XCTAssertEqual(
        try loadModel(from: path).predict(x: x, verbose: 0).scalars,
        try model.predict(x: x, verbose: 0).scalars)
    }
    let salted = Hashing(numBins: 3, name: "salted")
    salted.salt = [1, 2]
    XCTAssertThrowsError(try salted(["a"] as StringTensor)) {
      XCTAssertTrue("\($0)".contains("'salted' (Hashing)"), "\($0)")
    }
    XCTAssertThrowsError(try Hashing(numBins: 0)(Tensor([1])))
    XCTAssertThrowsError(try Hashing(numBins: 3)(Tensor([.nan])))
  }
}

/// A model hashing numbers inside it, for the round-trip test and
/// Scripts/preprocessing_check.py.
enum HashingExport {
  static func models() throws -> [(String, Model, Tensor)] {
    setRandomSeed(37)
    let model = try Sequential(
      [
        Input(shape: [3]), Hashing(numBins: 6, maskValue: 0, outputMode: "count", name: "hashing"),
        Dense(2, name: "dense"),
      ], name: "hashed")
    return [("hashed", model, Tensor(shape: [2, 3], scalars: [0, 5, 17, -3, 1000, 2]))]
  }
}
