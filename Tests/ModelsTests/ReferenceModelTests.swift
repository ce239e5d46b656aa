import Foundation
import SwiftKeras
import TestSupport
import XCTest

@testable import SwiftKerasCore
@testable import SwiftKerasLayers
@testable import SwiftKerasModels

/// Parameter counts, output shapes and summary() text against real Keras 3
/// (Tests/Fixtures/models.json and summaries/, from Scripts/fixtures/models.py).
final class ReferenceModelTests: XCTestCase {
  var fixtures: [String: ConfigValue] = [:]

  override func setUpWithError() throws {
    fixtures = try loadFixture("models.json")["models"]?.objectValue ?? [:]
    XCTAssertFalse(fixtures.isEmpty, "models.json has no models")
  }

  func testParameterCountsAndShapesMatchKeras() throws {
    for (key, fixture) in fixtures.sorted(by: { $0.key < $1.key }) {
      let model = try ReferenceModels.build(key)
      let counts = model.parameterCounts
      XCTAssertEqual(counts.total, fixture["total_params"]?.intValue, "\(key) total")
      XCTAssertEqual(counts.trainable, fixture["trainable_params"]?.intValue, "\(key) trainable")
      XCTAssertEqual(
        counts.nonTrainable, fixture["non_trainable_params"]?.intValue, "\(key) non-trainable")
      let layers = fixture["layers"]?.arrayValue ?? []
      XCTAssertEqual(
        model.layers.map { $0.name }, layers.map { $0["name"]?.stringValue ?? "" },
        "\(key) layer order")
      for (layer, expected) in zip(model.layers, layers) {
        XCTAssertEqual(
          layer.className, expected["class_name"]?.stringValue, "\(key) \(layer.name) class")
        XCTAssertEqual(
          layer.countParams(), expected["params"]?.intValue, "\(key) \(layer.name) params")
      }
    }
  }

  func testSeedMLPHas101770Parameters() throws {
    let model = try ReferenceModels.build("a_seed_mlp")
    XCTAssertEqual(model.countParams(), 100_480 + 1_290)
    XCTAssertEqual(model.parameterCounts.total, 101_770)
  }

  func testSummariesMatchKerasLineForLine() throws {
    for (key, fixture) in fixtures.sorted(by: { $0.key < $1.key }) {
      for (variant, summary) in fixture["summaries"]?.objectValue ?? [:]
      where variant != "compiled_adam" {
        let model = try ReferenceModels.build(key)
        let kwargs = summary["kwargs"]?.objectValue ?? [:]
        let text = model.summaryText(
          expandNested: kwargs["expand_nested"]?.boolValue ?? false,
          showTrainable: kwargs["show_trainable"]?.boolValue ?? false)
        let expected = summary["text"]?.stringValue ?? ""
        let got = text.components(separatedBy: "\n")
        let want = expected.components(separatedBy: "\n")
        XCTAssertEqual(got.count, want.count, "\(key)/\(variant): line count\n\(text)")
        for (i, (g, w)) in zip(got, want).enumerated() where g != w {
          XCTFail("\(key)/\(variant) line \(i + 1):\n got: \(g)\nwant: \(w)")
          break
        }
      }
    }
  }

  func testCompiledSummaryCountsOptimizerVariablesAsKeras() throws {
    let model = try ReferenceModels.build("a_seed_mlp")
    try model.compile(optimizer: "adam", loss: "sparse_categorical_crossentropy")
    XCTAssertFalse(
      model.summaryText().contains("Optimizer params"), "not before the optimizer is built")
    try model.trainOnBatch(x: Tensor.zeros([2, 784]), y: Tensor([0, 1]))
    let expected = fixtures["a_seed_mlp"]?["summaries"]?["compiled_adam"]?["text"]?.stringValue
    XCTAssertEqual(model.summaryText(), expected)
  }

  func testSummaryPrintsThroughAClosure() throws {
    let model = try ReferenceModels.build("a_seed_mlp")
    var captured = ""
    model.summary(printFunction: { captured += $0 })
    XCTAssertTrue(captured.hasPrefix("Model: \"sequential\"\n"))
    XCTAssertTrue(captured.contains(" Total params: 101,770 (397.54 KB)"))
  }
}
