import Foundation
import XCTest

@testable import SwiftKerasCore
@testable import SwiftKerasLayers
@testable import SwiftKerasModels

/// Convolutional models through `.keras`, `.weights.h5` and JSON.
final class SavingConvTests: XCTestCase {
  func testCNNWithBatchNormalizationRoundTrips() throws {
    setRandomSeed(11)
    let model = try Sequential([
      Input(shape: [8, 8, 1]),
      Conv2D(4, kernelSize: 3, activation: .relu), BatchNormalization(), MaxPooling2D(2),
      Conv2D(6, kernelSize: [2, 2], strides: 1, padding: "same"), AveragePooling2D(2),
      GlobalMaxPooling2D(), Dense(3, activation: .softmax),
    ])
    model.compile(optimizer: "adam", loss: "sparse_categorical_crossentropy")
    var generator = RandomGenerator(seed: 3)
    let x = Tensor.randomNormal(shape: [5, 8, 8, 1], generator: &generator)
    try model.trainOnBatch(x: x, y: Tensor([0, 1, 2, 1, 0]))
    let expected = try model.predict(x: x)

    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "conv-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("cnn.keras").path
    try model.save(to: path)
    let loaded = try loadModel(from: path)
    XCTAssertEqual(try loaded.predict(x: x).scalars, expected.scalars)
    XCTAssertEqual(loaded.summaryText(), model.summaryText())

    let rebuilt = try modelFromJSON(model.toJSON())
    XCTAssertEqual(rebuilt.layers.map { $0.className }, model.layers.map { $0.className })
    let weights = directory.appendingPathComponent("cnn.weights.h5").path
    try model.saveWeights(to: weights)
    try rebuilt.loadWeights(from: weights)
    XCTAssertEqual(try rebuilt.predict(x: x).scalars, expected.scalars)
  }

  func testKerasWrittenCNNLoadsAndPredictsAsKeras() throws {
    struct Expected: Decodable {
      let x: [[[[Float]]]]
      let predictions: [[Float]]
    }
    let expected = try JSONDecoder().decode(
      Expected.self, from: Data(contentsOf: fixtureURL("saving/cnn_bn.json")))
    let x = Tensor(
      shape: [expected.x.count, 8, 8, 1],
      scalars: expected.x.flatMap { $0.flatMap { $0.flatMap { $0 } } })
    let model = try loadModel(from: fixtureURL("saving/cnn_bn.keras").path)
    XCTAssertEqual(
      model.layers.map { $0.className },
      ["Conv2D", "BatchNormalization", "MaxPooling2D", "Conv2D", "GlobalAveragePooling2D", "Dense"])
    let predictions = try model.predict(x: x)
    for (a, b) in zip(predictions.scalars, expected.predictions.flatMap { $0 }) {
      XCTAssertEqual(a, b, accuracy: 1e-5)
    }
  }
}
