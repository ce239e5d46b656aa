import Foundation
import SwiftKeras
import SwiftKerasCore
import SwiftKerasLayers
import TestSupport
import XCTest

@testable import SwiftKerasModels
@testable import SwiftKerasSaving

/// `.weights.h5` files: Keras-written fixtures load into SwiftKeras twins and reproduce
/// Keras's predictions; SwiftKeras-written files round-trip every layer with weights.
final class SavingWeightsTests: XCTestCase {
  private struct Sample {
    let inputs: [Tensor]
    let predictions: [Tensor]
  }

  private func tensor(_ value: ConfigValue) throws -> Tensor {
    let shape = try XCTUnwrap(value["shape"]?.arrayValue).compactMap { $0.intValue }
    let values = try XCTUnwrap(value["values"]?.arrayValue).compactMap { $0.doubleValue }
    return Tensor(shape: shape, values: values)
  }

  private func sample(_ key: String) throws -> Sample {
    let record = try XCTUnwrap(try loadFixture("saving/saving.json")["models"]?[key])
    return Sample(
      inputs: try XCTUnwrap(record["inputs"]?.arrayValue).map(tensor),
      predictions: try XCTUnwrap(record["predictions"]?.arrayValue).map(tensor))
  }

  private func assertClose(_ a: Tensor, _ b: Tensor, tolerance: Float = 1e-5, _ message: String) {
    XCTAssertEqual(a.shape, b.shape, message)
    let worst = zip(a.scalars, b.scalars).map { abs($0 - $1) }.max() ?? 0
    XCTAssertLessThanOrEqual(worst, tolerance, "\(message): largest difference \(worst)")
  }

  private func temporaryFile(_ name: String) -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "swiftkeras-saving-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
    return directory.appendingPathComponent(name).path
  }

  /// Shifts every weight by a distinct pattern, so loaded values cannot match by accident
  /// (two fresh builds may share their initial values).
  private func perturb(_ model: Model) throws {
    for (index, variable) in model.weights.enumerated() {
      let count = variable.untrackedValue.scalars.count
      let shift = Tensor(
        shape: variable.shape, values: (0..<count).map { Float(($0 * 7 + index) % 13) * 0.01 + 0.5 }
      )
      variable.assign(variable.untrackedValue + shift)
    }
  }

  static let keys = [
    "a_seed_mlp", "c_bn_mlp", "d_two_input", "e_residual", "f_embedding", "g_shared",
    "h_nested", "h_nested_sequential", "i_shapes", "j_frozen", "k_long_names",
  ]

  func testKerasWrittenWeightsReproduceKerasPredictions() throws {
    for key in Self.keys {
      let model = try ReferenceModels.build(key)
      try model.loadWeights(from: fixtureURL("saving/\(key).weights.h5").path)
      let expected = try sample(key)
      let outputs = try model.callOutputs(expected.inputs, training: false)
      XCTAssertEqual(outputs.count, expected.predictions.count, key)
      for (output, prediction) in zip(outputs, expected.predictions) {
        assertClose(output, prediction, key)
      }
    }
  }

  func testWeightsLoadFromAKerasArchiveToo() throws {
    let model = try ReferenceModels.build("d_two_input")
    try model.loadWeights(from: fixtureURL("saving/d_two_input.keras").path)
    let expected = try sample("d_two_input")
    let outputs = try model.callOutputs(expected.inputs, training: false)
    assertClose(outputs[0], expected.predictions[0], "d_two_input from .keras")
  }

  func testRoundTripRestoresEveryWeightOfEveryLayerKind() throws {
    // Together these cover Dense, BatchNormalization, Embedding, PReLU, LayerNormalization,
    // shared layers and nested Sequential and functional models.
    for key in Self.keys {
      let source = try ReferenceModels.build(key)
      try perturb(source)
      let path = temporaryFile("\(key).weights.h5")
      try source.saveWeights(to: path)
      let target = try ReferenceModels.build(key)
      XCTAssertEqual(source.weights.count, target.weights.count, key)
      try target.loadWeights(from: path)
      for (a, b) in zip(source.weights, target.weights) {
        XCTAssertEqual(a.untrackedValue.scalars, b.untrackedValue.scalars, "\(key): \(a.name)")
      }
      let inputs = try sample(key).inputs
      let before = try source.callOutputs(inputs, training: false)
      let after = try target.callOutputs(inputs, training: false)
      for (x, y) in zip(before, after) { XCTAssertEqual(x.scalars, y.scalars, key) }
    }
  }

  func testWrittenFileUsesKerasLayout() throws {
    let model = try ReferenceModels.build("c_bn_mlp")
    let path = temporaryFile("bn.weights.h5")
    try model.saveWeights(to: path)
    let file = try HDF5File.open(at: path)
    XCTAssertEqual(
      try file.children(of: "layers"),
      [
        "activation", "activation_1", "batch_normalization", "batch_normalization_1", "dense",
        "dense_1", "dense_2",
      ])
    XCTAssertEqual(try file.children(of: "layers/batch_normalization/vars"), ["0", "1", "2", "3"])
    XCTAssertEqual(try file.datasetShape("layers/dense_1/vars/0"), [64, 32])
    XCTAssertEqual(try file.children(of: "layers/dense_1/vars"), ["0"])
    XCTAssertTrue(file.exists("vars"))
    // No temporary file is left beside the result.
    let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
    XCTAssertEqual(
      try FileManager.default.contentsOfDirectory(atPath: directory), ["bn.weights.h5"])
  }

  func testSaveWeightsRequiresKerasSuffix() throws {
    let model = try ReferenceModels.build("a_seed_mlp")
    XCTAssertThrowsError(try model.saveWeights(to: temporaryFile("model.h5"))) { error in
      XCTAssertTrue("\(error)".contains(".weights.h5"), "\(error)")
    }
  }

  func testLoadingIntoADifferentArchitectureThrowsAndChangesNothing() throws {
    let model = try ReferenceModels.build("d_two_input")
    let before = model.getWeights()
    XCTAssertThrowsError(
      try model.loadWeights(from: fixtureURL("saving/a_seed_mlp.weights.h5").path)
    ) { error in
      XCTAssertTrue("\(error)".contains("a_seed_mlp.weights.h5"), "\(error)")
    }
    for (a, b) in zip(before, model.getWeights()) { XCTAssertEqual(a.scalars, b.scalars) }
  }

  func testWrongShapeNamesTheDatasetAndBothShapes() throws {
    let small = try Sequential([Input(shape: [4]), Dense(3, name: "dense")])
    let path = temporaryFile("small.weights.h5")
    try small.saveWeights(to: path)
    let wider = try Sequential([Input(shape: [5]), Dense(3, name: "dense")])
    XCTAssertThrowsError(try wider.loadWeights(from: path)) { error in
      let text = "\(error)"
      XCTAssertTrue(text.contains("layers/dense/vars/0"), text)
      XCTAssertTrue(text.contains("[4, 3]") && text.contains("[5, 3]"), text)
    }
  }

  func testMissingAndNonHDF5FilesThrow() throws {
    let model = try ReferenceModels.build("a_seed_mlp")
    XCTAssertThrowsError(try model.loadWeights(from: temporaryFile("absent.weights.h5")))
    let junk = temporaryFile("junk.weights.h5")
    try Data("not an hdf5 file".utf8).write(to: URL(fileURLWithPath: junk))
    XCTAssertThrowsError(try model.loadWeights(from: junk)) { error in
      XCTAssertTrue("\(error)".contains("not an HDF5 file"), "\(error)")
    }
  }

  func testUnbuiltModelCannotLoad() throws {
    let model = try Sequential([Dense(3)])
    XCTAssertThrowsError(
      try model.loadWeights(from: fixtureURL("saving/a_seed_mlp.weights.h5").path)
    ) { error in XCTAssertTrue("\(error)".contains("not built"), "\(error)") }
  }
}
