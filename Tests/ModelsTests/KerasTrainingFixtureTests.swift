import Foundation
import SwiftKeras
import TestSupport
import XCTest

@testable import SwiftKerasCore
@testable import SwiftKerasLayers
@testable import SwiftKerasModels

/// Whole fits against real Keras 3 (Tests/Fixtures/training.json from
/// Scripts/fixtures/training.py): fixed weights, no shuffling, so every batch log, every
/// epoch's metrics and the final weights must agree.
final class KerasTrainingFixtureTests: XCTestCase {
  struct Fixture: Decodable {
    struct Case: Decodable {
      let history: [String: [Float]]
      let batch_logs: [[String: Float]]
      let weights: [ConfigValue]
      let evaluate: [String: Float]
      let predict: [[Float]]
    }
    let x: [[Float]]
    let y: [Float]
    let initial_weights: [ConfigValue]
    let sample_weight: [Float]
    let cases: [String: Case]
  }

  final class BatchRecorder: Callback {
    var logs: [Logs] = []
    override func onTrainBatchEnd(_ batch: Int, logs: Logs) { self.logs.append(logs) }
  }

  static func tensor(_ value: ConfigValue) -> Tensor {
    if let rows = value.arrayValue, let first = rows.first, first.arrayValue != nil {
      let matrix = rows.map { ($0.arrayValue ?? []).map { Float($0.doubleValue ?? .nan) } }
      return Tensor(matrix)
    }
    return Tensor((value.arrayValue ?? []).map { Float($0.doubleValue ?? .nan) })
  }

  func assertNear(
    _ a: Float, _ b: Float, _ message: String, file: StaticString = #filePath, line: UInt = #line
  ) {
    XCTAssertEqual(a, b, accuracy: 2e-5 * max(1, abs(b)), message, file: file, line: line)
  }

  func testFitsMatchKeras() throws {
    let fixture = try JSONDecoder().decode(
      Fixture.self, from: Data(contentsOf: fixtureURL("training.json")))
    let x = Tensor(fixture.x)
    let y = Tensor(fixture.y)
    let initial = fixture.initial_weights.map(Self.tensor)
    let setups: [(String, any OptimizerConvertible, Bool, Bool)] = [
      ("adam", "adam", false, false),
      ("sgd_momentum_l2", try SGD(learningRate: 0.1, momentum: 0.9), true, false),
      ("rmsprop_sample_weight", "rmsprop", false, true),
    ]
    for (name, optimizer, regularize, weighted) in setups {
      let expected = try XCTUnwrap(fixture.cases[name], name)
      let model = try Sequential([
        Input(shape: [4]),
        Dense(6, activation: .relu, kernelRegularizer: regularize ? L2(0.01) : nil),
        Dense(3, activation: .softmax),
      ])
      try model.setWeights(initial)
      try model.compile(
        optimizer: optimizer, loss: "sparse_categorical_crossentropy", metrics: ["accuracy"])
      let recorder = BatchRecorder()
      let history = try model.fit(
        x: x, y: y, batchSize: 4, epochs: 3, verbose: 0, callbacks: [recorder],
        validationSplit: 0.2,
        shuffle: false, sampleWeight: weighted ? Tensor(fixture.sample_weight) : nil)
      XCTAssertEqual(history.keys, expected.history.keys.sorted(), name)
      for (key, values) in expected.history {
        for (epoch, (ours, theirs)) in zip(history[key], values).enumerated() {
          assertNear(ours, theirs, "\(name) \(key) epoch \(epoch)")
        }
      }
      XCTAssertEqual(recorder.logs.count, expected.batch_logs.count, name)
      for (step, (ours, theirs)) in zip(recorder.logs, expected.batch_logs).enumerated() {
        for (key, value) in theirs {
          assertNear(ours[key] ?? .nan, value, "\(name) batch \(step) \(key)")
        }
      }
      for (i, (ours, theirs)) in zip(model.getWeights(), expected.weights.map(Self.tensor))
        .enumerated()
      {
        XCTAssertEqual(ours.shape, theirs.shape)
        for (a, b) in zip(ours.scalars, theirs.scalars) { assertNear(a, b, "\(name) weight \(i)") }
      }
      let scores = try model.evaluate(x: x, y: y, verbose: 0)
      for (key, value) in expected.evaluate {
        assertNear(scores[key] ?? .nan, value, "\(name) evaluate \(key)")
      }
      let predictions = try model.predict(x: x)
      for (a, b) in zip(predictions.scalars, expected.predict.flatMap { $0 }) {
        assertNear(a, b, "\(name) predict")
      }
    }
  }
}
