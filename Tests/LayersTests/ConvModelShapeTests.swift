import SwiftKeras
import SwiftKerasCore
import SwiftKerasLayers
import TestSupport
import XCTest

/// Output shapes and parameter counts of reference CNNs, layer by layer, against the
/// models Keras builds (Tests/Fixtures/conv.json, "models").
final class ConvModelShapeTests: XCTestCase {
  /// Builds `layers` in sequence from a `[nil, 28, 28, 1]` input and compares every
  /// layer's class, output shape and parameter count, and the totals, with Keras.
  private func check(
    _ id: String, _ layers: [Layer], file: StaticString = #filePath, line: UInt = #line
  ) throws {
    let reference = convModel(id)
    let expectedLayers = reference["layers"] as? [[String: Any]] ?? []
    XCTAssertEqual(layers.count, expectedLayers.count, "\(id): layer count", file: file, line: line)
    var shape: Shape = [nil, 28, 28, 1]
    for (layer, expected) in zip(layers, expectedLayers) {
      try layer.ensureBuilt(inputShapes: [shape])
      shape = try layer.computeOutputShape(inputShapes: [shape])
      XCTAssertEqual(layer.className, expected["class_name"] as? String, file: file, line: line)
      XCTAssertEqual(
        shape, (expected["output_shape"] as? [Any] ?? []).map { $0 as? Int },
        "\(id): output shape of \(layer.className)", file: file, line: line)
      XCTAssertEqual(
        layer.countParams(), expected["params"] as? Int, "\(id): params of \(layer.className)",
        file: file, line: line)
    }
    let trainable = layers.flatMap { $0.trainableWeights }.reduce(0) { $0 + $1.shape.reduce(1, *) }
    let frozen = layers.flatMap { $0.nonTrainableWeights }.reduce(0) { $0 + $1.shape.reduce(1, *) }
    XCTAssertEqual(
      trainable + frozen, reference["total_params"] as? Int, "\(id): total", file: file, line: line)
    XCTAssertEqual(
      trainable, reference["trainable_params"] as? Int, "\(id): trainable", file: file, line: line)
    XCTAssertEqual(
      frozen, reference["non_trainable_params"] as? Int, "\(id): non-trainable", file: file,
      line: line)
    // A real batch flows through with the inferred shapes.
    var x = Tensor.zeros([2, 28, 28, 1])
    for layer in layers { x = try layer(x, training: true) }
    XCTAssertEqual(x.shape, shape.map { $0 ?? 2 }, file: file, line: line)
  }

  func testDemoCNN() throws {
    try check(
      "cnn",
      [
        Conv2D(32, kernelSize: 3, activation: .relu), MaxPooling2D(2),
        Conv2D(64, kernelSize: 3, activation: .relu), MaxPooling2D(2), Flatten(),
        Dense(128, activation: .relu), Dense(10, activation: .softmax),
      ])
    XCTAssertEqual((convModel("cnn")["total_params"] as? Int), 225_034)
  }

  func testCNNWithBatchNormalization() throws {
    try check(
      "cnn_batchnorm",
      [
        Conv2D(32, kernelSize: 3, activation: .relu), BatchNormalization(), MaxPooling2D(2),
        Conv2D(64, kernelSize: 3, activation: .relu), BatchNormalization(), MaxPooling2D(2),
        Flatten(), Dense(128, activation: .relu), Dense(10, activation: .softmax),
      ])
  }

  func testStridedSameCNN() throws {
    try check(
      "cnn_same_stride2",
      [
        Conv2D(16, kernelSize: 3, strides: 2, padding: "same", activation: .relu),
        Conv2D(32, kernelSize: 3, strides: 2, padding: "same", activation: .relu),
        GlobalAveragePooling2D(), Dense(10, activation: .softmax),
      ])
  }

  func testBatchNormalizationOnImages() throws {
    let layer = BatchNormalization(momentum: 0.9)
    try checkConvAgainstKeras("batch_normalization_4d", layer)
    let reference = try convCase("batch_normalization_4d")
    let output = try layer(reference.inputs[0], training: true)
    if let expected = reference.trainingOutput {
      assertClose(output, expected, tolerance: 1e-4, "training output")
    } else {
      XCTFail("no training output in the fixture")
    }
    for (weight, expected) in zip(layer.weights, reference.weightsAfterTraining ?? []) {
      assertClose(weight.untrackedValue, expected, tolerance: 1e-4, "\(weight.name) after training")
    }
  }
}
