import Foundation
import SwiftKeras
import TestSupport
import XCTest

@testable import SwiftKerasCore
@testable import SwiftKerasLayers
@testable import SwiftKerasModels
@testable import SwiftKerasSaving

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
    try model.compile(optimizer: "adam", loss: "sparse_categorical_crossentropy")
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

    // For Scripts/saving_check_cnn.py: the same file and predictions, kept for real Keras.
    if let export = ProcessInfo.processInfo.environment["SWIFTKERAS_SAVING_EXPORT"] {
      try model.save(to: export + "/cnn_swiftkeras.keras")
      let record: [String: [Float]] = ["x": x.scalars, "predictions": expected.scalars]
      try JSONEncoder().encode(record).write(
        to: URL(fileURLWithPath: export + "/cnn_swiftkeras.json"))
    }

    let rebuilt = try modelFromJSON(model.toJSON())
    XCTAssertEqual(rebuilt.layers.map { $0.className }, model.layers.map { $0.className })
    let weights = directory.appendingPathComponent("cnn.weights.h5").path
    try model.saveWeights(to: weights)
    try rebuilt.loadWeights(from: weights)
    XCTAssertEqual(try rebuilt.predict(x: x).scalars, expected.scalars)
  }

  func testEveryConvolutionWithWeightsRoundTrips() throws {
    setRandomSeed(12)
    var generator = RandomGenerator(seed: 4)
    let images = Tensor.randomNormal(shape: [3, 9, 9, 2], generator: &generator)
    let sequences = Tensor.randomNormal(shape: [3, 10, 2], generator: &generator)
    let cases: [(Model, Tensor)] = [
      (
        try Sequential([
          Input(shape: [10, 2]), Conv1D(3, kernelSize: 3, strides: 2), GlobalMaxPooling1D(),
        ]), sequences
      ),
      (
        try Sequential([
          Input(shape: [9, 9, 2]), Conv2DTranspose(3, kernelSize: 3, strides: 2), Flatten(),
        ]), images
      ),
      (
        try Sequential([
          Input(shape: [9, 9, 2]),
          Rescaling(scale: [0.5, 2], offset: [1, -1]),
          Conv2DTranspose(3, kernelSize: 3, strides: 2, padding: "same", outputPadding: [1, 0]),
          UpSampling2D(2, interpolation: "bilinear"), Rescaling(1.0 / 255), Flatten(),
        ]), images
      ),
      (
        try Sequential([
          Input(shape: [9, 9, 2]), DepthwiseConv2D(kernelSize: 3, depthMultiplier: 2), Flatten(),
        ]), images
      ),
      (
        try Sequential([
          Input(shape: [9, 9, 2]), SeparableConv2D(4, kernelSize: 3, padding: "same"), Flatten(),
        ]), images
      ),
    ]
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "conv-all-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    for (i, (model, x)) in cases.enumerated() {
      let expected = try model.predict(x: x)
      let path = directory.appendingPathComponent("m\(i).keras").path
      try model.save(to: path)
      let loaded = try loadModel(from: path)
      XCTAssertEqual(
        try loaded.predict(x: x).scalars, expected.scalars, "\(model.layers[0].className)")
      XCTAssertEqual(loaded.summaryText(), model.summaryText())
    }
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
