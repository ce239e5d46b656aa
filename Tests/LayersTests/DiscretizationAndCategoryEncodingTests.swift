import Foundation
import SwiftKeras
import SwiftKerasCore
import SwiftKerasLayers
import TestSupport
import XCTest

/// Discretization and CategoryEncoding against Keras (Tests/Fixtures/preprocessing.json,
/// written by Scripts/fixtures/preprocessing.py).
final class DiscretizationAndCategoryEncodingTests: XCTestCase {
  private func fixture(_ key: String) throws -> [[String: Any]] {
    let data = try Data(contentsOf: fixtureURL("preprocessing.json"))
    let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    return try XCTUnwrap(object[key] as? [[String: Any]])
  }

  private func tensor(_ item: [String: Any], _ values: String, _ shape: String) throws -> Tensor {
    Tensor(
      shape: try XCTUnwrap(item[shape] as? [Int]),
      scalars: try XCTUnwrap(item[values] as? [Double]).map(Float.init))
  }

  func testAdaptedBoundariesAndOutputsEqualKeras() throws {
    let cases = try fixture("discretization")
    XCTAssertEqual(cases.count, 6)
    var worst = 0.0
    for item in cases {
      let id = try XCTUnwrap(item["id"] as? String)
      let kwargs = try XCTUnwrap(item["kwargs"] as? [String: Any])
      let expectedBoundaries = try XCTUnwrap(item["bin_boundaries"] as? [Double])
      let outputs = try XCTUnwrap(item["outputs"] as? [String: [String: Any]])
      for mode in ["int", "one_hot", "multi_hot", "count"] {
        let layer: Discretization
        if let numBins = kwargs["num_bins"] as? Int {
          layer = Discretization(
            numBins: numBins, epsilon: kwargs["epsilon"] as? Double ?? 0.01, outputMode: mode,
            name: id)
          let data = try tensor(item, "data", "data_shape")
          if let batchSize = item["batch_size"] as? Int {
            try layer.adapt(Dataset(x: data).batch(batchSize))
          } else {
            try layer.adapt(data)
          }
        } else {
          layer = Discretization(
            binBoundaries: try XCTUnwrap(kwargs["bin_boundaries"] as? [Double]), outputMode: mode,
            name: id)
        }
        let boundaries = try XCTUnwrap(layer.binBoundaries)
        XCTAssertEqual(boundaries.count, expectedBoundaries.count, id)
        worst = zip(boundaries, expectedBoundaries).reduce(worst) { max($0, abs($1.0 - $1.1)) }
        let output = try layer(try tensor(item, "input", "input_shape"))
        let expected = try XCTUnwrap(outputs[mode])
        XCTAssertEqual(output.shape, expected["shape"] as? [Int], "\(id) \(mode)")
        XCTAssertEqual(
          output.scalars.map(Double.init), try XCTUnwrap(expected["output"] as? [Double]),
          "\(id) \(mode)")
        if mode == "int" {
          assertConfigMatches(
            layer.getConfig(), try XCTUnwrap(item["config"] as? [String: Any]), id)
        }
      }
    }
    XCTAssertLessThanOrEqual(worst, 1e-6)
  }

  func testDiscretizationHandMathAndConfigRoundTrip() throws {
    let layer = Discretization(binBoundaries: [0, 1, 2])
    XCTAssertEqual(try layer(Tensor([-1.5, 0, 1.0, 1.5, 2, 3])).scalars, [0, 1, 2, 2, 3, 3])
    // After adapt, Keras's config holds both num_bins and the learned boundaries.
    let adapted = Discretization(numBins: 2)
    try adapted.adapt(Tensor([1, 2, 3, 4, 5, 6, 7, 8]))
    XCTAssertEqual(adapted.binBoundaries, [4])
    let restored = try Discretization(
      config: LayerConfig(className: "Discretization", values: adapted.getConfig()))
    XCTAssertEqual(restored.binBoundaries, [4])
    XCTAssertEqual(restored.numBins, 2)
    XCTAssertNil(adapted.getConfig()["trainable"])
  }

  func testDiscretizationBadArgumentsThrow() throws {
    XCTAssertThrowsError(try Discretization(numBins: 3, name: "unadapted")(Tensor([1]))) {
      XCTAssertTrue("\($0)".contains("'unadapted' (Discretization)"), "\($0)")
    }
    XCTAssertThrowsError(try Discretization(binBoundaries: [1]).adapt(Tensor([1, 2])))
    XCTAssertThrowsError(
      try Discretization(binBoundaries: [1], outputMode: "tf_idf")(Tensor([1, 2])))
    XCTAssertThrowsError(try Discretization(numBins: 3).adapt(batches: [Tensor]()))
    XCTAssertThrowsError(try Discretization(numBins: 3).adapt(Tensor.zeros([0])))
  }

  func testCategoryEncodingEqualsKeras() throws {
    let cases = try fixture("category_encoding")
    XCTAssertEqual(cases.count, 12)
    for item in cases {
      let id = try XCTUnwrap(item["id"] as? String)
      let mode = try XCTUnwrap(item["mode"] as? String)
      let layer = CategoryEncoding(numTokens: 4, outputMode: mode, name: id)
      let output = try layer(try tensor(item, "input", "input_shape"))
      XCTAssertEqual(output.shape, item["output_shape"] as? [Int], "\(id) \(mode)")
      XCTAssertEqual(
        output.scalars.map(Double.init), try XCTUnwrap(item["output"] as? [Double]),
        "\(id) \(mode)")
      let inputShape = try XCTUnwrap(item["input_shape"] as? [Int])
      XCTAssertEqual(
        try layer.computeOutputShape(inputShapes: [inputShape.map { Optional($0) }]),
        (item["output_shape"] as? [Int])?.map { Optional($0) }, "\(id) \(mode)")
      assertConfigMatches(layer.getConfig(), try XCTUnwrap(item["config"] as? [String: Any]), id)
    }
  }

  func testCategoryEncodingRejectsIndicesOutOfRange() {
    let layer = CategoryEncoding(numTokens: 3, name: "codes")
    XCTAssertThrowsError(try layer(Tensor([0, 3]))) {
      XCTAssertTrue(
        "\($0)".contains("'codes' (CategoryEncoding)") && "\($0)".contains("0..<3"), "\($0)")
    }
    XCTAssertThrowsError(try layer(Tensor([0.5])))
    XCTAssertThrowsError(try CategoryEncoding(numTokens: 0)(Tensor([0])))
    XCTAssertThrowsError(try CategoryEncoding(numTokens: 2, outputMode: "int")(Tensor([0])))
  }

  func testLayersRoundTripThroughAKerasFile() throws {
    let folder = try makeTemporaryDirectory("discretization-layers")
    defer { try? FileManager.default.removeItem(at: folder) }
    for (key, model, x) in try CategoricalExport.models() {
      let expected = try model.predict(x: x, verbose: 0)
      let path = folder.appendingPathComponent("\(key).keras").path
      try model.save(to: path)
      let restored = try loadModel(from: path)
      XCTAssertEqual(try restored.predict(x: x, verbose: 0).scalars, expected.scalars, key)
    }
  }
}

/// Models with Discretization and CategoryEncoding layers for the round-trip test and
/// Scripts/preprocessing_check.py.
enum CategoricalExport {
  static func models() throws -> [(String, Model, Tensor)] {
    setRandomSeed(29)
    var generator = RandomGenerator(seed: 29)
    let data = Tensor.randomNormal(shape: [200, 3], generator: &generator)
    let buckets = Discretization(numBins: 5, outputMode: "one_hot", name: "discretization")
    try buckets.adapt(data)
    let bucketModel = try Sequential(
      [
        Input(shape: [3]), buckets, Flatten(), Dense(2, name: "dense"),
      ], name: "discretized")
    let given = try Sequential(
      [
        Input(shape: [4]), Discretization(binBoundaries: [-0.5, 0, 0.5], name: "cuts"),
        CategoryEncoding(numTokens: 4, outputMode: "count", name: "counts"), Dense(2),
      ], name: "category_counts")
    return [
      ("discretized", bucketModel, data.slice(0..<4)),
      ("category_counts", given, Tensor.randomNormal(shape: [3, 4], generator: &generator)),
    ]
  }
}
