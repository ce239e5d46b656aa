import Foundation
import SwiftKeras
import SwiftKerasCore
import SwiftKerasLayers
import TestSupport
import XCTest

@testable import SwiftKerasModels
@testable import SwiftKerasSaving

/// Whole-model `.keras` archives: Keras-written ones load with their Adam state, and
/// SwiftKeras-written ones round-trip architecture, weights, compile settings and
/// optimizer state.
final class SavingModelTests: XCTestCase {
  private func tensor(_ value: ConfigValue) throws -> Tensor {
    Tensor(
      shape: try XCTUnwrap(value["shape"]?.arrayValue).compactMap { $0.intValue },
      values: try XCTUnwrap(value["values"]?.arrayValue).compactMap { $0.doubleValue })
  }

  private func tensors(_ record: ConfigValue, _ key: String) throws -> [Tensor] {
    try XCTUnwrap(record[key]?.arrayValue).map(tensor)
  }

  private func largestDifference(_ a: [Tensor], _ b: [Tensor]) -> Float {
    zip(a, b).flatMap { zip($0.scalars, $1.scalars).map { abs($0 - $1) } }.max() ?? .infinity
  }

  private func temporaryFile(_ name: String) -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "swiftkeras-saving-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
    return directory.appendingPathComponent(name).path
  }

  func testKerasArchivesLoadWithAdamStateAndResumeTrainingLikeKeras() throws {
    for key in ["c_bn_mlp", "d_two_input"] {
      let record = try XCTUnwrap(try loadFixture("saving/saving.json")["models"]?[key])
      let model = try loadModel(from: fixtureURL("saving/\(key).keras").path)
      XCTAssertEqual(model.name, try ReferenceModels.build(key).name, key)
      XCTAssertTrue(model.isCompiled, key)
      let inputs = try tensors(record, "inputs")
      let before = try model.callOutputs(inputs, training: false)
      XCTAssertLessThanOrEqual(
        largestDifference(before, try tensors(record, "predictions")), 1e-5, key)
      // One more step from the restored Adam state lands where Keras's step landed.
      _ = try model.trainOnBatch(x: try tensors(record, "step_x"), y: try tensors(record, "step_y"))
      XCTAssertEqual(
        model.optimizer?.iterations, try XCTUnwrap(record["iterations"]?.intValue), key)
      let after = try model.callOutputs(inputs, training: false)
      let difference = largestDifference(after, try tensors(record, "predictions_after_step"))
      // Adam divides by sqrt(v), which magnifies float32 rounding differences between
      // the two implementations' gradients; hence 1e-4 after a step (1e-5 before).
      XCTAssertLessThanOrEqual(difference, 1e-4, "\(key): after one step")
      // Control: the same step from a fresh Adam (state not restored) lands far away,
      // so the agreement above is due to the restored state.
      let fresh = try ReferenceModels.build(key)
      try fresh.loadWeights(from: fixtureURL("saving/\(key).weights.h5").path)
      try fresh.compile(optimizer: try Adam(learningRate: 0.01), loss: "mse")
      _ = try fresh.trainOnBatch(x: try tensors(record, "step_x"), y: try tensors(record, "step_y"))
      let control = largestDifference(
        try fresh.callOutputs(inputs, training: false),
        try tensors(record, "predictions_after_step"))
      XCTAssertGreaterThan(control, 1e-3, "\(key): control without restored state")
    }
  }

  func testSwiftArchiveRoundTripsWeightsCompileSettingsAndOptimizerState() throws {
    let model = try ReferenceModels.build("c_bn_mlp")
    try model.compile(optimizer: try Adam(learningRate: 0.01), loss: "mse", metrics: ["mae"])
    let x = Tensor(shape: [8, 20], values: (0..<160).map { Float($0 % 17) * 0.1 - 0.8 })
    let y = Tensor(shape: [8, 1], values: (0..<8).map { Float($0) * 0.25 })
    for _ in 0..<3 { _ = try model.trainOnBatch(x: x, y: y) }
    let path = temporaryFile("bn.keras")
    try model.save(to: path)
    let loaded = try loadModel(from: path)
    XCTAssertEqual(loaded.layers.map { $0.name }, model.layers.map { $0.name })
    for (a, b) in zip(model.weights, loaded.weights) {
      XCTAssertEqual(a.untrackedValue.scalars, b.untrackedValue.scalars, a.name)
    }
    // Both continue identically: same slots, iterations and learning rate.
    model.resetMetrics()
    let next = try model.trainOnBatch(x: x, y: y)
    let resumed = try loaded.trainOnBatch(x: x, y: y)
    XCTAssertEqual(next["loss"], resumed["loss"])
    XCTAssertEqual(next["mae"], resumed["mae"])
    XCTAssertEqual(loaded.optimizer?.iterations, 4)
    XCTAssertEqual(try XCTUnwrap(loaded.optimizer?.learningRate), 0.01, accuracy: 1e-9)
    for (a, b) in zip(model.weights, loaded.weights) {
      XCTAssertEqual(a.untrackedValue.scalars, b.untrackedValue.scalars, a.name)
    }
  }

  func testMetricObjectsKeepTheirArgumentsThroughAnArchive() throws {
    let model = try Sequential([Input(shape: [4]), Dense(3, activation: .sigmoid)])
    try model.compile(
      optimizer: "adam", loss: "binary_crossentropy",
      metrics: [
        "accuracy", try Precision(topK: 2, name: "p_top2"),
        try AUC(curve: .pr, multiLabel: true, labelWeights: [1, 2, 0.5]),
      ])
    let path = temporaryFile("metrics.keras")
    try model.save(to: path)
    let loaded = try loadModel(from: path)
    let saved = try XCTUnwrap(try loaded.compileConfig()?["metrics"]?.arrayValue)
    XCTAssertEqual(saved.first, "accuracy", "identifiers stay identifiers")
    XCTAssertEqual(saved.count, 3)
    XCTAssertEqual(saved[1]["class_name"], "Precision")
    XCTAssertEqual(saved[1]["config"]?["top_k"], 2)
    XCTAssertEqual(saved[1]["config"]?["name"], "p_top2")
    XCTAssertEqual(saved[2]["config"]?["multi_label"], true)
    XCTAssertEqual(saved[2]["config"]?["curve"], "PR")
    // The loaded model logs the metrics under their names.
    let x = Tensor(shape: [6, 4], values: (0..<24).map { Float($0 % 5) * 0.2 })
    let y = Tensor(shape: [6, 3], values: (0..<18).map { Float($0 % 2) })
    let logs = try loaded.evaluate(x: x, y: y, verbose: 0)
    XCTAssertNotNil(logs["p_top2"])
    XCTAssertNotNil(logs["auc"])
  }

  func testArchiveHoldsKerasMembersAndNoTemporaryFiles() throws {
    let model = try ReferenceModels.build("d_two_input")
    let path = temporaryFile("two.keras")
    try model.save(to: path)
    let archive = try ZipArchive(
      data: try Data(contentsOf: URL(fileURLWithPath: path)), source: path)
    XCTAssertEqual(
      archive.members.map { $0.name }, ["metadata.json", "config.json", "model.weights.h5"])
    let config = try JSONDecoder().decode(
      ConfigValue.self, from: try XCTUnwrap(archive.member("config.json")))
    XCTAssertEqual(config["class_name"], "Functional")
    XCTAssertNil(config["compile_config"], "an uncompiled model has no compile_config")
    let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), ["two.keras"])
    let loaded = try loadModel(from: path)
    XCTAssertFalse(loaded.isCompiled)
  }

  func testSaveRequiresKerasSuffix() throws {
    let model = try ReferenceModels.build("a_seed_mlp")
    XCTAssertThrowsError(try model.save(to: temporaryFile("model.zip"))) { error in
      XCTAssertTrue("\(error)".contains(".keras"), "\(error)")
    }
  }
}
