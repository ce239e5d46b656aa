import Foundation
import SwiftKeras
import SwiftKerasCore
import SwiftKerasLayers
import TestSupport
import XCTest

@testable import SwiftKerasModels
@testable import SwiftKerasSaving

/// `toJSON()` / `modelFromJSON(_:)` against the JSON real Keras writes (models.json).
final class SavingJSONTests: XCTestCase {
  private func kerasJSON(_ key: String) throws -> ConfigValue {
    try XCTUnwrap(try loadFixture("models.json")["models"]?[key]?["to_json"])
  }

  private func jsonString(_ value: ConfigValue) throws -> String {
    String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
  }

  /// Checks that every key SwiftKeras writes has Keras's value (numbers to float32
  /// precision; a null where Keras omits the key counts as equal); `dtype` is skipped (Keras writes a DTypePolicy object, SwiftKeras the
  /// equivalent "float32" string, which Keras accepts).
  private func assertSubset(
    _ ours: ConfigValue, _ theirs: ConfigValue, path: String, file: StaticString = #filePath,
    line: UInt = #line
  ) {
    switch (ours, theirs) {
    case (.object(let a), .object(let b)):
      for (key, value) in a where key != "dtype" {
        guard let other = b[key] else {
          // A null for a key Keras leaves out (e.g. `activity_regularizer`) means the same.
          if value == .null { continue }
          XCTFail("\(path).\(key): Keras has no such key", file: file, line: line)
          continue
        }
        assertSubset(value, other, path: "\(path).\(key)", file: file, line: line)
      }
    case (.array(let a), .array(let b)):
      XCTAssertEqual(a.count, b.count, "\(path): lengths differ", file: file, line: line)
      for (index, (x, y)) in zip(a, b).enumerated() {
        assertSubset(x, y, path: "\(path)[\(index)]", file: file, line: line)
      }
    default:
      if let x = ours.doubleValue, let y = theirs.doubleValue {
        XCTAssertEqual(x, y, accuracy: 1e-6 * max(1, abs(y)), path, file: file, line: line)
      } else {
        XCTAssertEqual(ours, theirs, path, file: file, line: line)
      }
    }
  }

  func testToJSONMatchesKerasForSequentialAndFunctional() throws {
    for key in ["a_seed_mlp", "d_two_input"] {
      let ours = try JSONDecoder().decode(
        ConfigValue.self, from: Data(try ReferenceModels.build(key).toJSON().utf8))
      let theirs = try kerasJSON(key)
      XCTAssertEqual(ours["class_name"], theirs["class_name"], key)
      XCTAssertEqual(ours["module"], theirs["module"], key)
      // Every layer entry (class, name, config, build_config, inbound_nodes) and the
      // graph endpoints agree with Keras.
      assertSubset(try XCTUnwrap(ours["config"]), try XCTUnwrap(theirs["config"]), path: key)
      XCTAssertEqual(
        ours["config"]?["layers"]?.arrayValue?.count,
        theirs["config"]?["layers"]?.arrayValue?.count, key)
    }
  }

  func testKerasJSONRebuildsModelsThatReproduceKerasPredictions() throws {
    let record = try loadFixture("saving/saving.json")
    for key in ["a_seed_mlp", "d_two_input"] {
      let model = try modelFromJSON(try jsonString(try kerasJSON(key)))
      let reference = try ReferenceModels.build(key)
      XCTAssertEqual(model.layers.map { $0.name }, reference.layers.map { $0.name }, key)
      XCTAssertEqual(model.layers.map { $0.className }, reference.layers.map { $0.className }, key)
      try model.loadWeights(from: fixtureURL("saving/\(key).weights.h5").path)
      let sample = try XCTUnwrap(record["models"]?[key])
      let inputs = try XCTUnwrap(sample["inputs"]?.arrayValue).map(tensor)
      let expected = try XCTUnwrap(sample["predictions"]?.arrayValue).map(tensor)
      let outputs = try model.callOutputs(inputs, training: false)
      for (output, prediction) in zip(outputs, expected) {
        let worst = zip(output.scalars, prediction.scalars).map { abs($0 - $1) }.max() ?? 0
        XCTAssertLessThanOrEqual(worst, 1e-5, key)
      }
    }
  }

  private func tensor(_ value: ConfigValue) throws -> Tensor {
    Tensor(
      shape: try XCTUnwrap(value["shape"]?.arrayValue).compactMap { $0.intValue },
      values: try XCTUnwrap(value["values"]?.arrayValue).compactMap { $0.doubleValue })
  }

  func testEveryReferenceModelRoundTripsThroughJSON() throws {
    for key in SavingWeightsTests.keys {
      let original = try ReferenceModels.build(key)
      let json = try original.toJSON()
      let rebuilt = try modelFromJSON(json)
      XCTAssertEqual(rebuilt.name, original.name, key)
      XCTAssertEqual(rebuilt.layers.map { $0.name }, original.layers.map { $0.name }, key)
      XCTAssertEqual(rebuilt.layers.map { $0.className }, original.layers.map { $0.className }, key)
      XCTAssertEqual(rebuilt.weights.map { $0.shape }, original.weights.map { $0.shape }, key)
      XCTAssertEqual(rebuilt.layers.map { $0.trainable }, original.layers.map { $0.trainable }, key)
      // Same architecture: the same weights give the same outputs.
      try rebuilt.setWeights(original.getWeights())
      let inputs =
        original.inputs.isEmpty
        ? [
          Tensor(
            repeating: 1,
            shape: [2] + ((original as? Sequential)?.inputShape ?? []).dropFirst().map { $0 ?? 1 })
        ]
        : original.inputs.map {
          Tensor(repeating: 1, shape: [2] + $0.shape.dropFirst().map { $0 ?? 1 })
        }
      let a = try original.callOutputs(inputs, training: false)
      let b = try rebuilt.callOutputs(inputs, training: false)
      for (x, y) in zip(a, b) { XCTAssertEqual(x.scalars, y.scalars, key) }
      // Serializing again gives the same JSON.
      XCTAssertEqual(
        try JSONDecoder().decode(ConfigValue.self, from: Data(try rebuilt.toJSON().utf8)),
        try JSONDecoder().decode(ConfigValue.self, from: Data(json.utf8)), key)
    }
  }

  func testUnknownLayerClassNamesItAndListsSupportedOnes() throws {
    var config = try kerasJSON("a_seed_mlp")
    var text = try jsonString(config)
    text = text.replacingOccurrences(
      of: "\"class_name\":\"Dense\"", with: "\"class_name\":\"Conv9D\"")
    XCTAssertThrowsError(try modelFromJSON(text)) { error in
      let message = "\(error)"
      XCTAssertTrue(message.contains("Conv9D"), message)
      XCTAssertTrue(message.contains("BatchNormalization") && message.contains("Dense"), message)
    }
    config = ["class_name": "Sequential"]
    XCTAssertThrowsError(try modelFromConfig(config))
  }

  func testInvalidJSONThrows() {
    XCTAssertThrowsError(try modelFromJSON("{\"class_name\": \"Sequential\", ")) { error in
      XCTAssertTrue("\(error)".contains("not valid JSON"), "\(error)")
    }
    XCTAssertThrowsError(
      try modelFromJSON("{\"class_name\": \"Sequential\", \"config\": {\"layers\": 3}}"))
    XCTAssertThrowsError(
      try modelFromJSON(
        "{\"class_name\": \"Sequential\", \"config\": {\"layers\": [{\"class_name\": \"Dense\", \"config\": {\"units\": \"many\"}}]}}"
      )
    ) { error in XCTAssertTrue("\(error)".contains("'units'"), "\(error)") }
  }

  func testCustomLayerRegistrationRebuildsIt() throws {
    final class Doubling: Layer {
      let factor: Float
      init(factor: Float, name: String? = nil) {
        self.factor = factor
        super.init(name: name)
      }
      override class var className: String { "SavingTestDoubling" }
      override func call(_ input: Tensor, training: Bool) throws -> Tensor { input * factor }
      override func getConfig() -> [String: ConfigValue] {
        var config = super.getConfig()
        config["factor"] = .double(Double(factor))
        return config
      }
    }
    let model = try Sequential([Input(shape: [3]), Doubling(factor: 3, name: "triple")])
    let json = try model.toJSON()
    XCTAssertThrowsError(try modelFromJSON(json)) { error in
      XCTAssertTrue("\(error)".contains("SavingTestDoubling"), "\(error)")
    }
    registerCustomLayer(name: "SavingTestDoubling") { config in
      Doubling(factor: try config.float("factor"), name: config.name)
    }
    XCTAssertTrue(supportedLayerClassNames.contains("SavingTestDoubling"))
    let rebuilt = try modelFromJSON(json)
    XCTAssertEqual(try rebuilt(Tensor([[1, 2, 3]])).scalars, [3, 6, 9])
  }
}
