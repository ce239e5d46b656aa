import Foundation
import SwiftKeras
import SwiftKerasCore
import SwiftKerasLayers
import TestSupport
import XCTest

/// The Normalization preprocessing layer against Keras (Tests/Fixtures/preprocessing.json,
/// written by Scripts/fixtures/preprocessing.py): adapt on tensors and on batched
/// datasets, outputs with and without invert, given moments, configs, and `.keras` files
/// both ways.
final class NormalizationPreprocessingTests: XCTestCase {
  private func fixture() throws -> [String: Any] {
    let data = try Data(contentsOf: fixtureURL("preprocessing.json"))
    return try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
  }

  private func tensor(_ item: [String: Any], _ values: String, _ shape: String) throws -> Tensor {
    Tensor(
      shape: try XCTUnwrap(item[shape] as? [Int]),
      scalars: try XCTUnwrap(item[values] as? [Double]).map(Float.init))
  }

  private func maxDifference(_ got: [Float], _ expected: Any?) throws -> Double {
    let want = try XCTUnwrap(expected as? [Double])
    XCTAssertEqual(got.count, want.count)
    return zip(got, want).map { abs(Double($0) - $1) }.max() ?? 0
  }

  func testAdaptLearnsKerasMeanAndVarianceAndOutputs() throws {
    let cases = try XCTUnwrap(try fixture()["normalization"] as? [[String: Any]])
    XCTAssertEqual(cases.count, 6)
    var worst = 0.0
    for item in cases {
      let id = try XCTUnwrap(item["id"] as? String)
      let axes: [Int] =
        item["axis"] is NSNull
        ? [] : try (item["axis"] as? [Int]) ?? [XCTUnwrap(item["axis"] as? Int)]
      let data = try tensor(item, "data", "data_shape")
      let x = try tensor(item, "input", "input_shape")
      for invert in [false, true] {
        let layer = Normalization(axes: axes, invert: invert, name: id)
        if let batchSize = item["batch_size"] as? Int {
          try layer.adapt(Dataset(x: data).batch(batchSize))
        } else {
          try layer.adapt(data)
        }
        let mean = try XCTUnwrap(layer.adaptedMean)
        XCTAssertEqual(mean.shape, item["mean_shape"] as? [Int], id)
        worst = max(worst, try maxDifference(mean.value.scalars, item["mean"]))
        worst = max(
          worst,
          try maxDifference(try XCTUnwrap(layer.adaptedVariance).value.scalars, item["variance"]))
        // Keras creates `count` as an int64 scalar and leaves it at 0.
        XCTAssertEqual(layer.count?.value.scalars, [Float(try XCTUnwrap(item["count"] as? Int))])
        XCTAssertEqual(layer.count?.storedType, .int64)
        XCTAssertEqual(layer.count?.shape, [])
        let output = try layer(x)
        XCTAssertEqual(output.shape, x.shape, id)
        worst = max(worst, try maxDifference(output.scalars, item[invert ? "inverted" : "output"]))
        if invert {
          assertConfigMatches(
            layer.getConfig(), try XCTUnwrap(item["config"] as? [String: Any]), id)
        }
      }
    }
    XCTAssertLessThanOrEqual(worst, 1e-5)
  }

  func testGivenMeanAndVarianceMatchKeras() throws {
    let cases = try XCTUnwrap(try fixture()["normalization_given"] as? [[String: Any]])
    XCTAssertEqual(cases.count, 3)
    for item in cases {
      let id = try XCTUnwrap(item["id"] as? String)
      let layer: Normalization
      switch id {
      case "scalar": layer = Normalization(mean: 3, variance: 2, name: id)
      case "per_feature":
        layer = Normalization(mean: [1, -2, 0.5], variance: [4, 0.25, 0], name: id)
      default:
        layer = Normalization(mean: [1, -2, 0.5], variance: [4, 0.25, 9], invert: true, name: id)
      }
      let output = try layer(try tensor(item, "input", "input_shape"))
      XCTAssertLessThanOrEqual(try maxDifference(output.scalars, item["output"]), 1e-5, id)
      XCTAssertTrue(layer.weights.isEmpty, id)
      let config = try XCTUnwrap(item["config"] as? [String: Any])
      assertConfigMatches(layer.getConfig(), config, id)
      // The config read back gives the same layer.
      let restored = try Normalization(
        config: LayerConfig(className: "Normalization", values: layer.getConfig()))
      XCTAssertEqual(
        try restored(try tensor(item, "input", "input_shape")).scalars, output.scalars, id)
    }
  }

  func testHandMath() throws {
    // Keras's docstring: mean 3, variance 2 on [1, 2, 3].
    let fixed = Normalization(mean: 3, variance: 2)
    let x = Tensor(shape: [3, 1], scalars: [1, 2, 3])
    let expected: [Float] = [-2 / Float(2).squareRoot(), -1 / Float(2).squareRoot(), 0]
    for (got, want) in zip(try fixed(x).scalars, expected) {
      XCTAssertEqual(got, want, accuracy: 1e-6)
    }
    // Keras's invert docstring: adapt on columns [0,2,0,2], [7,9,7,9], [4,6,4,6].
    let inverse = Normalization(invert: true)
    try inverse.adapt(
      Tensor(shape: [4, 3], scalars: [0, 7, 4, 2, 9, 6, 0, 7, 4, 2, 9, 6]))
    XCTAssertEqual(try inverse(Tensor(shape: [1, 3], scalars: [1, 2, 3])).scalars, [2, 10, 8])
    // A zero variance divides by epsilon 1e-7, as Keras.
    let flat = Normalization(mean: [1], variance: [0])
    XCTAssertEqual(try flat(Tensor(shape: [1, 1], scalars: [1.5])).scalars, [5e6])
  }

  func testAdaptOnStreamEqualsAdaptOnTheWholeTensor() throws {
    var generator = RandomGenerator(seed: 3)
    let data = Tensor.randomNormal(shape: [50, 4], generator: &generator) * 3 + 1
    let whole = Normalization()
    try whole.adapt(data)
    let streamed = Normalization()
    try streamed.adapt(Dataset(x: data))  // unbatched: read in batches of 128, as Keras
    let small = Normalization()
    try small.adapt(Dataset(x: data).batch(7))
    for layer in [streamed, small] {
      for (got, want) in zip(layer.adaptedMean!.value.scalars, whole.adaptedMean!.value.scalars) {
        XCTAssertEqual(got, want, accuracy: 1e-5)
      }
      for (got, want) in zip(
        layer.adaptedVariance!.value.scalars, whole.adaptedVariance!.value.scalars)
      {
        XCTAssertEqual(got, want, accuracy: 1e-4)
      }
    }
  }

  func testBadArgumentsThrowNamingTheLayer() throws {
    let onlyMean = Normalization(mean: [1, 2], name: "half")
    XCTAssertThrowsError(try onlyMean(Tensor.zeros([2, 2]))) {
      XCTAssertTrue("\($0)".contains("'half' (Normalization)"), "\($0)")
    }
    let fixed = Normalization(mean: [1, 2], variance: [1, 1], name: "fixed")
    XCTAssertThrowsError(try fixed.adapt(Tensor.zeros([3, 2]))) {
      XCTAssertTrue("\($0)".contains("given at creation"), "\($0)")
    }
    XCTAssertThrowsError(
      try Normalization(mean: [1, 2, 3], variance: [1, 1, 1])(Tensor.zeros([2, 2])))
    let adapted = Normalization(name: "adapted")
    try adapted.adapt(Tensor.zeros([3, 2]))
    XCTAssertThrowsError(try adapted(Tensor.zeros([3, 5]))) {
      XCTAssertTrue("\($0)".contains("[5]") || "\($0)".contains("5"), "\($0)")
    }
    XCTAssertThrowsError(try adapted.adapt(Tensor.zeros([4, 3])))
    XCTAssertThrowsError(try Normalization(axis: 3).adapt(Tensor.zeros([2, 2])))
    XCTAssertThrowsError(try Normalization().adapt(batches: [Tensor]()))
    XCTAssertThrowsError(try Normalization().adapt(Tensor.zeros([0, 2])))
    let ragged = Normalization(name: "ragged")
    ragged.givenMean = [[1, 2], [3]]
    ragged.givenVariance = [[1, 2], [3]]
    XCTAssertThrowsError(try ragged(Tensor.zeros([2, 2])))
  }

  func testAKerasFileFromKerasLoadsAndPredictsAsKeras() throws {
    let item = try XCTUnwrap(try fixture()["normalization_model"] as? [String: Any])
    let model = try loadModel(from: fixtureURL(try XCTUnwrap(item["keras_file"] as? String)).path)
    XCTAssertEqual(model.layers.map(\.className), ["Normalization", "Dense"])
    let layer = try XCTUnwrap(model.layers[0] as? Normalization)
    XCTAssertLessThanOrEqual(
      try maxDifference(try XCTUnwrap(layer.adaptedMean).value.scalars, item["mean"]), 1e-6)
    XCTAssertLessThanOrEqual(
      try maxDifference(try XCTUnwrap(layer.adaptedVariance).value.scalars, item["variance"]), 1e-6)
    let output = try model.predict(x: try tensor(item, "input", "input_shape"), verbose: 0)
    XCTAssertLessThanOrEqual(try maxDifference(output.scalars, item["output"]), 1e-5)
  }

  func testAdaptedAndGivenLayersRoundTripThroughKerasAndWeightsFiles() throws {
    let folder = try makeTemporaryDirectory("normalization-layers")
    defer { try? FileManager.default.removeItem(at: folder) }
    for (key, model, x) in try NormalizationExport.models() {
      let expected = try model.predict(x: x, verbose: 0)
      let path = folder.appendingPathComponent("\(key).keras").path
      try model.save(to: path)
      let restored = try loadModel(from: path)
      XCTAssertEqual(try restored.predict(x: x, verbose: 0).scalars, expected.scalars, key)
      // The weights file alone, into a fresh copy of the architecture.
      let weightsPath = folder.appendingPathComponent("\(key).weights.h5").path
      try model.saveWeights(to: weightsPath)
      let fresh = try NormalizationExport.models().first { $0.0 == key }!.1
      for layer in fresh.layers {
        if let norm = layer as? Normalization, norm.adaptedMean != nil {
          norm.adaptedMean!.assign(Tensor.zeros(norm.adaptedMean!.shape))
        }
      }
      try fresh.loadWeights(from: weightsPath)
      XCTAssertEqual(try fresh.predict(x: x, verbose: 0).scalars, expected.scalars, key)
    }
  }
}

/// Models with Normalization layers for the export test and
/// Scripts/preprocessing_check.py.
enum NormalizationExport {
  static func models() throws -> [(String, Model, Tensor)] {
    setRandomSeed(23)
    var generator = RandomGenerator(seed: 23)
    let data = Tensor.randomNormal(shape: [40, 4], generator: &generator) * 2 + 5
    let adapted = Normalization(name: "normalization")
    try adapted.adapt(data)
    let adaptedModel = try Sequential(
      [Input(shape: [4]), adapted, Dense(3, name: "dense")], name: "adapted")
    let images = Tensor.randomUniform(shape: [16, 3, 3, 2], generator: &generator) * 255
    let perChannel = Normalization(axes: [-1], invert: false, name: "per_channel")
    try perChannel.adapt(Dataset(x: images).batch(5))
    let everything = Normalization(axis: nil, name: "everything")
    try everything.adapt(images)
    let imageModel = try Sequential(
      [
        Input(shape: [3, 3, 2]), perChannel, everything,
        Normalization(mean: [1, 2], variance: [4, 9], invert: true, name: "given"),
        Normalization(mean: 0.5, variance: 2, name: "given_scalar"), Flatten(), Dense(2),
      ], name: "images")
    return [
      ("adapted", adaptedModel, data.slice(0..<5)),
      ("images", imageModel, images.slice(0..<3)),
    ]
  }
}
