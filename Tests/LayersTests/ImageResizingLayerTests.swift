import Foundation
import SwiftKeras
import SwiftKerasCore
import SwiftKerasLayers
import TestSupport
import XCTest

/// Resizing and CenterCrop against Keras (Tests/Fixtures/pipeline.json, written by
/// Scripts/fixtures/pipeline.py): outputs, output shapes and configs.
final class ImageResizingLayerTests: XCTestCase {
  func layerCases() throws -> [[String: Any]] {
    let data = try Data(contentsOf: fixtureURL("pipeline.json"))
    let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    return try XCTUnwrap(object["layers"] as? [[String: Any]])
  }

  func layer(for id: String) -> Layer? {
    switch id {
    case "resizing_down": return Resizing(4, 5)
    case "resizing_up": return Resizing(10, 6)
    case "resizing_crop": return Resizing(4, 4, cropToAspectRatio: true)
    case "resizing_crop_wide": return Resizing(3, 8, cropToAspectRatio: true)
    case "center_crop": return CenterCrop(5, 5)
    case "center_crop_odd": return CenterCrop(4, 8)
    case "center_crop_larger": return CenterCrop(8, 8)
    default: return nil
    }
  }

  func testOutputsShapesAndConfigsEqualKeras() throws {
    let all = try layerCases()
    XCTAssertEqual(all.count, 7)
    for item in all {
      let id = try XCTUnwrap(item["id"] as? String)
      let layer = try XCTUnwrap(self.layer(for: id), id)
      let inputShape = try XCTUnwrap(item["input_shape"] as? [Int])
      let input = Tensor(
        shape: inputShape, scalars: try XCTUnwrap(item["input"] as? [Double]).map(Float.init))
      let output = try layer(input)
      XCTAssertEqual(output.shape, item["output_shape"] as? [Int], id)
      let expected = try XCTUnwrap(item["output"] as? [Double])
      let worst = zip(output.scalars, expected).map { abs(Double($0) - $1) }.max() ?? 0
      // Pixel values up to 255: 1e-5 relative.
      XCTAssertLessThanOrEqual(worst, 255e-5, id)
      let symbolic: Shape = [nil] + inputShape.dropFirst().map { Optional($0) }
      XCTAssertEqual(
        try layer.computeOutputShape(inputShapes: [symbolic]),
        [nil] + (item["output_shape"] as? [Int] ?? []).dropFirst().map { Optional($0) }, id)
      XCTAssertEqual(layer.className, item["class_name"] as? String)
      assertConfigMatches(
        layer.getConfig(), try XCTUnwrap(item["config"] as? [String: Any]), id)
    }
  }

  func testGradientsMatchFiniteDifferences() throws {
    var generator = RandomGenerator(seed: 5)
    let x = Tensor.randomNormal(shape: [1, 5, 6, 2], generator: &generator)
    try assertLayerGradientsMatchFiniteDifferences(Resizing(3, 4, cropToAspectRatio: true), [x])
    try assertLayerGradientsMatchFiniteDifferences(CenterCrop(3, 3), [x])
    try assertLayerGradientsMatchFiniteDifferences(CenterCrop(7, 7), [x])
  }

  func testUnsupportedOptionsAndBadArgumentsThrow() {
    let padded = Resizing(4, 4)
    padded.padToAspectRatio = true
    XCTAssertThrowsError(try padded(Tensor.zeros([1, 5, 5, 1]))) {
      XCTAssertTrue("\($0)".contains("pad_to_aspect_ratio"), "\($0)")
    }
    let nearest = Resizing(4, 4)
    nearest.interpolation = "nearest"
    XCTAssertThrowsError(try nearest(Tensor.zeros([1, 5, 5, 1])))
    XCTAssertThrowsError(try Resizing(0, 4)(Tensor.zeros([1, 5, 5, 1])))
    XCTAssertThrowsError(try CenterCrop(2, 2)(Tensor.zeros([5, 5]))) {
      XCTAssertTrue("\($0)".contains("[batch, height, width, channels]"), "\($0)")
    }
  }

  func testAKerasFileFromKerasLoadsAndPredictsAsKeras() throws {
    let data = try Data(contentsOf: fixtureURL("pipeline.json"))
    let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let item = try XCTUnwrap(object["resizing_model"] as? [String: Any])
    let model = try loadModel(
      from: fixtureURL(try XCTUnwrap(item["keras_file"] as? String)).path)
    XCTAssertEqual(
      model.layers.map(\.className), ["CenterCrop", "Resizing", "Rescaling", "Flatten", "Dense"])
    let x = Tensor(
      shape: try XCTUnwrap(item["input_shape"] as? [Int]),
      scalars: try XCTUnwrap(item["input"] as? [Double]).map(Float.init))
    let expected = try XCTUnwrap(item["output"] as? [Double])
    for (got, want) in zip(try model.predict(x: x).scalars, expected) {
      XCTAssertEqual(Double(got), want, accuracy: 1e-4)
    }
  }

  func testLayersRoundTripThroughAKerasFile() throws {
    let folder = try makeTemporaryDirectory("image-resizing-layers")
    defer { try? FileManager.default.removeItem(at: folder) }
    let model = try Sequential([
      Input(shape: [12, 10, 3]), CenterCrop(10, 10), Resizing(6, 8, cropToAspectRatio: true),
      Rescaling(1.0 / 255), Flatten(), Dense(2),
    ])
    var generator = RandomGenerator(seed: 1)
    let x = Tensor.randomUniform(shape: [2, 12, 10, 3], generator: &generator) * 255
    let expected = try model.predict(x: x)
    let path = folder.appendingPathComponent("resizing.keras").path
    try model.save(to: path)
    let restored = try loadModel(from: path)
    let resizing = try XCTUnwrap(restored.layers.compactMap { $0 as? Resizing }.first)
    XCTAssertEqual([resizing.height, resizing.width], [6, 8])
    XCTAssertTrue(resizing.cropToAspectRatio)
    XCTAssertEqual(try restored.predict(x: x).scalars, expected.scalars)
  }
}
