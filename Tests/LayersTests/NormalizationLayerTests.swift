import SwiftKeras
import SwiftKerasCore
import SwiftKerasLayers
import TestSupport
import XCTest

final class NormalizationLayerTests: XCTestCase {
  private func checkBatchNormalization(_ id: String, _ layer: BatchNormalization) throws {
    let reference = try checkAgainstKeras(id, layer)
    let trainingOutput = try layer(reference.inputs, training: true)
    assertClose(trainingOutput, try XCTUnwrap(reference.trainingOutput), "\(id) training output")
    let after = try XCTUnwrap(reference.weightsAfterTraining)
    for (weight, expected) in zip(layer.weights, after) {
      assertClose(weight.untrackedValue, expected, "\(id) \(weight.name) after training call")
    }
  }

  func testBatchNormalizationMatchesKeras() throws {
    try checkBatchNormalization("batch_normalization", BatchNormalization())
    try checkBatchNormalization("batch_normalization_rank3", BatchNormalization(axis: -1))
    try checkBatchNormalization(
      "batch_normalization_no_center_scale",
      BatchNormalization(momentum: 0.9, center: false, scale: false))
  }

  func testBatchNormalizationWeightsAreSplitByTrainability() throws {
    let layer = BatchNormalization()
    _ = try layer(Tensor.ones([2, 3]))
    XCTAssertEqual(layer.trainableWeights.map { $0.name }, ["gamma", "beta"])
    XCTAssertEqual(layer.nonTrainableWeights.map { $0.name }, ["moving_mean", "moving_variance"])
  }

  func testBatchNormalizationOnOtherAxisAndFrozen() throws {
    // Axis 1 of [batch 2, channels 2, steps 2]: statistics over axes 0 and 2.
    let x = Tensor([[[1, 3], [10, 20]], [[5, 7], [30, 40]]])
    let layer = BatchNormalization(axis: 1, momentum: 0.5, epsilon: 1e-3)
    _ = try layer(x, training: true)
    // Channel 0: values 1, 3, 5, 7 → mean 4, biased variance 5.
    // Channel 1: values 10, 20, 30, 40 → mean 25, biased variance 125.
    assertClose(try XCTUnwrap(layer.movingMean).untrackedValue, Tensor([2, 12.5]))
    assertClose(try XCTUnwrap(layer.movingVariance).untrackedValue, Tensor([3, 63]))
    // A frozen layer uses (and keeps) its moving statistics even in training.
    layer.trainable = false
    let y = try layer(x, training: true)
    assertClose(try XCTUnwrap(layer.movingMean).untrackedValue, Tensor([2, 12.5]))
    XCTAssertEqual(y[0, 0, 0], (1 - 2) / Float(3.001).squareRoot(), accuracy: 1e-5)
  }

  func testLayerNormalizationMatchesKeras() throws {
    try checkAgainstKeras("layer_normalization", LayerNormalization())
    try checkAgainstKeras("layer_normalization_rank3", LayerNormalization(axis: -1))
  }

  func testNormalizationGradients() throws {
    let x = testInput([4, 3], seed: 1)
    let bn = BatchNormalization()
    _ = try bn(x)
    try bn.setWeights([
      Tensor([1.2, 0.8, 1.1]), Tensor([0.1, -0.2, 0.3]), Tensor([0.1, 0.2, 0.3]),
      Tensor([1.5, 0.5, 2]),
    ])
    try assertLayerGradientsMatchFiniteDifferences(bn, [x], training: true, epsilon: 1e-3)
    try assertLayerGradientsMatchFiniteDifferences(bn, [x], training: false, epsilon: 1e-3)
    let ln = LayerNormalization()
    _ = try ln(testInput([2, 2, 4], seed: 2))
    try ln.setWeights([Tensor([1.2, 0.8, 1.1, 0.9]), Tensor([0.1, -0.2, 0.3, 0])])
    try assertLayerGradientsMatchFiniteDifferences(
      ln, [testInput([2, 2, 4], seed: 2)], epsilon: 1e-3)
    let rms = LayerNormalization(rmsScaling: true)
    try assertLayerGradientsMatchFiniteDifferences(
      rms, [testInput([2, 5], seed: 3)], epsilon: 1e-3)
  }

  func testRMSScalingByHand() throws {
    let layer = LayerNormalization(epsilon: 0, rmsScaling: true)
    let y = try layer(Tensor([[3, 4]]))
    // rms = sqrt((9 + 16) / 2)
    let rms = Float(12.5).squareRoot()
    assertClose(y, Tensor([[3 / rms, 4 / rms]]))
    XCTAssertEqual(layer.weights.map { $0.name }, ["gamma"])
  }

  func testBadAxisThrows() {
    XCTAssertThrowsError(try BatchNormalization(axis: 3)(Tensor.ones([2, 3])))
    XCTAssertThrowsError(try LayerNormalization(axis: 0)(Tensor.ones([2, 3])))
  }
}
