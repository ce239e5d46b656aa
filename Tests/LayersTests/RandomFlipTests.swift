import Foundation
import SwiftKeras
import SwiftKerasCore
import SwiftKerasLayers
import TestSupport
import XCTest

/// RandomFlip against Keras for given flips (Tests/Fixtures/preprocessing.json, written by
/// Scripts/fixtures/preprocessing.py), and its seeded, training-only behaviour.
final class RandomFlipTests: XCTestCase {
  func testGivenFlipsEqualKerasInEveryMode() throws {
    let data = try Data(contentsOf: fixtureURL("preprocessing.json"))
    let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let cases = try XCTUnwrap(object["random_flip"] as? [[String: Any]])
    XCTAssertEqual(cases.count, 3)
    for item in cases {
      let mode = try XCTUnwrap(item["mode"] as? String)
      let layer = RandomFlip(mode, seed: 5, name: mode)
      let x = Tensor(
        shape: try XCTUnwrap(item["input_shape"] as? [Int]),
        scalars: try XCTUnwrap(item["input"] as? [Double]).map(Float.init))
      let output = try layer.flipped(x, flips: try XCTUnwrap(item["flips"] as? [Bool]))
      let expected = try XCTUnwrap(item["output"] as? [Double])
      XCTAssertEqual(output.scalars, expected.map { Float($0) }, mode)  // exact in float32
      XCTAssertEqual(try layer(x, training: false).scalars, x.scalars, mode)
      assertConfigMatches(layer.getConfig(), try XCTUnwrap(item["config"] as? [String: Any]), mode)
    }
  }

  func testSeededDrawsRepeatAndFlipOnlyInTraining() throws {
    var generator = RandomGenerator(seed: 2)
    let x = Tensor.randomUniform(shape: [16, 3, 4, 1], generator: &generator)
    let first = try RandomFlip("horizontal", seed: 11)(x, training: true)
    let again = try RandomFlip("horizontal", seed: 11)(x, training: true)
    XCTAssertEqual(first.scalars, again.scalars)
    // Each image is either itself or its mirror image, and both occur in 16 draws.
    var flippedCount = 0
    let mirror = try RandomFlip("horizontal").flipped(x, flips: Array(repeating: true, count: 16))
    let perImage = 12
    for n in 0..<16 {
      let range = (n * perImage)..<((n + 1) * perImage)
      let got = Array(first.scalars[range])
      if got == Array(mirror.scalars[range]) {
        flippedCount += 1
      } else {
        XCTAssertEqual(got, Array(x.scalars[range]))
      }
    }
    XCTAssertGreaterThan(flippedCount, 0)
    XCTAssertLessThan(flippedCount, 16)
    XCTAssertEqual(try RandomFlip(seed: 11)(x, training: false).scalars, x.scalars)
  }

  func testGradientsAndBadArguments() throws {
    var generator = RandomGenerator(seed: 4)
    let x = Tensor.randomNormal(shape: [2, 3, 3, 2], generator: &generator)
    try assertLayerGradientsMatchFiniteDifferences(RandomFlip(seed: 1), [x])
    XCTAssertThrowsError(try RandomFlip("diagonal", name: "flip")(x, training: true)) {
      XCTAssertTrue("\($0)".contains("'flip' (RandomFlip)"), "\($0)")
    }
    XCTAssertThrowsError(try RandomFlip()(Tensor.zeros([2, 3]), training: true))
    XCTAssertThrowsError(try RandomFlip().flipped(x, flips: [true]))
  }

  func testRoundTripsThroughAKerasFile() throws {
    let folder = try makeTemporaryDirectory("random-flip")
    defer { try? FileManager.default.removeItem(at: folder) }
    let model = try Sequential([
      Input(shape: [4, 4, 1]), RandomFlip("vertical", seed: 3), Flatten(), Dense(2),
    ])
    let path = folder.appendingPathComponent("flip.keras").path
    try model.save(to: path)
    let restored = try loadModel(from: path)
    let flip = try XCTUnwrap(restored.layers.first as? RandomFlip)
    XCTAssertEqual(flip.mode, "vertical")
    XCTAssertEqual(flip.seed, 3)
    let x = Tensor.ones([2, 4, 4, 1])
    XCTAssertEqual(
      try restored.predict(x: x, verbose: 0).scalars, try model.predict(x: x, verbose: 0).scalars)
  }
}

/// A model with RandomFlip for Scripts/preprocessing_check.py (at inference the flip is
/// the identity in both frameworks; the check is that Keras reads the config).
enum RandomFlipExport {
  static func models() throws -> [(String, Model, Tensor)] {
    setRandomSeed(41)
    let model = try Sequential(
      [
        Input(shape: [4, 4, 1]), RandomFlip("horizontal", seed: 9, name: "random_flip"),
        Flatten(), Dense(2, name: "dense"),
      ], name: "flipped")
    var generator = RandomGenerator(seed: 41)
    return [("flipped", model, Tensor.randomUniform(shape: [2, 4, 4, 1], generator: &generator))]
  }
}
