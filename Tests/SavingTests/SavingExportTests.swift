import Foundation
import SwiftKeras
import SwiftKerasCore
import SwiftKerasLayers
import TestSupport
import XCTest

@testable import SwiftKerasModels
@testable import SwiftKerasSaving

/// Writes SwiftKeras-saved files for every reference model, for Scripts/saving_check.py
/// to load in real Keras: into `$SWIFTKERAS_SAVING_EXPORT` when set, else a temporary
/// directory. The test itself checks that each file loads back in SwiftKeras.
final class SavingExportTests: XCTestCase {
  /// Deterministic inputs of the model's input shapes (integers for the embedding model).
  private func inputs(for model: Model, key: String) -> [Tensor] {
    let shapes: [[Int]]
    if let sequential = model as? Sequential {
      shapes = [Array((sequential.inputShape ?? []).dropFirst().map { $0 ?? 1 })]
    } else {
      shapes = model.inputs.map { $0.shape.dropFirst().map { $0 ?? 1 } }
    }
    return shapes.enumerated().map { index, shape in
      let count = shape.reduce(3, *)
      let values = (0..<count).map { i -> Float in
        key == "f_embedding" ? Float((i * 37 + index) % 1000) : sin(Float(i) * 0.37 + Float(index))
      }
      return Tensor(shape: [3] + shape, values: values)
    }
  }

  private func json(_ tensors: [Tensor]) -> ConfigValue {
    .array(
      tensors.map {
        [
          "shape": .array($0.shape.map { .int($0) }),
          "values": .array($0.scalars.map { .double(Double($0)) }),
        ]
      })
  }

  func testExportFilesForKeras() throws {
    let environment = ProcessInfo.processInfo.environment["SWIFTKERAS_SAVING_EXPORT"]
    let directory =
      environment.map { URL(fileURLWithPath: $0) }
      ?? FileManager.default.temporaryDirectory.appendingPathComponent(
        "swiftkeras-export-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    if environment == nil {
      addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
    }
    var record: [String: ConfigValue] = [:]
    for key in SavingWeightsTests.keys {
      let model = try ReferenceModels.build(key)
      let x = inputs(for: model, key: key)
      var entry: [String: ConfigValue] = ["inputs": json(x)]
      if key == "c_bn_mlp" || key == "d_two_input" {
        // Trained with Adam so the archive carries optimizer state.
        try model.compile(optimizer: try Adam(learningRate: 0.01), loss: "mse")
        let outputs = try model.callOutputs(x, training: false)
        let targets = outputs.map {
          Tensor(shape: $0.shape, values: $0.scalars.indices.map { Float($0 % 3) })
        }
        for _ in 0..<3 { _ = try model.trainOnBatch(x: x, y: targets) }
        try model.save(to: directory.appendingPathComponent("\(key).keras").path)
        entry["iterations"] = .int(model.optimizer?.iterations ?? 0)
        XCTAssertEqual(
          try loadModel(from: directory.appendingPathComponent("\(key).keras").path).optimizer?
            .iterations, 3)
      } else {
        for (index, variable) in model.weights.enumerated() {
          let count = variable.untrackedValue.scalars.count
          variable.assign(
            variable.untrackedValue
              + Tensor(
                shape: variable.shape,
                values: (0..<count).map { Float(($0 * 5 + index) % 11) * 0.02 }))
        }
      }
      try model.saveWeights(to: directory.appendingPathComponent("\(key).weights.h5").path)
      try model.toJSON().write(
        to: directory.appendingPathComponent("\(key).json"), atomically: true, encoding: .utf8)
      let predictions = try model.callOutputs(x, training: false)
      entry["predictions"] = json(predictions)
      record[key] = .object(entry)
      // The files load back in SwiftKeras.
      let rebuilt = try modelFromJSON(
        try String(contentsOf: directory.appendingPathComponent("\(key).json"), encoding: .utf8))
      try rebuilt.loadWeights(from: directory.appendingPathComponent("\(key).weights.h5").path)
      let again = try rebuilt.callOutputs(x, training: false)
      for (a, b) in zip(again, predictions) { XCTAssertEqual(a.scalars, b.scalars, key) }
    }
    let encoder = JSONEncoder()
    try encoder.encode(ConfigValue.object(record)).write(
      to: directory.appendingPathComponent("expected.json"))
    XCTAssertTrue(
      FileManager.default.fileExists(atPath: directory.appendingPathComponent("expected.json").path)
    )
  }
}
