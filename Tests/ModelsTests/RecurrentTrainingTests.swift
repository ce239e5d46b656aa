import SwiftKeras
import TestSupport
import XCTest

/// Recurrent models learn through `fit`: the fused LSTM and GRU kernels' gradients, masks
/// and the masked loss drive an optimizer to fit small sequence problems.
final class RecurrentTrainingTests: XCTestCase {
  /// Sequences of 8 steps whose label says whether the running sum ends positive, with a
  /// random amount of right padding the mask must hide.
  private func data(count: Int, seed: UInt64) -> (ids: Tensor, x: Tensor, y: Tensor) {
    var generator = RandomGenerator(seed: seed)
    let noise = Tensor.randomNormal(shape: [count, 8], generator: &generator).scalars
    var x = [Float](repeating: 0, count: count * 8)
    var ids = [Float](repeating: 0, count: count * 8)
    var y = [Float](repeating: 0, count: count)
    for row in 0..<count {
      let length = 3 + row % 6
      var sum: Float = 0
      for step in 0..<length {
        let value = noise[row * 8 + step]
        x[row * 8 + step] = value
        ids[row * 8 + step] = value > 0 ? 2 : 1
        sum += value > 0 ? 1 : -1
      }
      y[row] = sum > 0 ? 1 : 0
    }
    return (
      Tensor(shape: [count, 8], scalars: ids), Tensor(shape: [count, 8, 1], scalars: x),
      Tensor(shape: [count, 1], scalars: y)
    )
  }

  func testMaskedLSTMClassifierLearns() throws {
    setRandomSeed(3)
    let (ids, _, y) = data(count: 256, seed: 5)
    let model = try Sequential([
      Input(shape: [8]),
      Embedding(inputDim: 3, outputDim: 4, maskZero: true),
      LSTM(8),
      Dense(1, activation: .sigmoid),
    ])
    try model.compile(
      optimizer: .adam(learningRate: 0.02), loss: "binary_crossentropy", metrics: ["accuracy"])
    let history = try model.fit(x: ids, y: y, batchSize: 32, epochs: 15, verbose: 0)
    let losses = try XCTUnwrap(history.history["loss"])
    XCTAssertLessThan(losses.last ?? 1, 0.5 * (losses.first ?? 0), "loss \(losses)")
    XCTAssertGreaterThan(history.history["accuracy"]?.last ?? 0, 0.9)
  }

  func testBidirectionalGRUWithMaskingLearns() throws {
    setRandomSeed(4)
    let (_, x, y) = data(count: 256, seed: 6)
    let model = try Sequential([
      Input(shape: [8, 1]),
      Masking(maskValue: 0),
      Bidirectional(GRU(6)),
      Dense(1, activation: .sigmoid),
    ])
    try model.compile(optimizer: .adam(learningRate: 0.02), loss: "binary_crossentropy")
    let history = try model.fit(x: x, y: y, batchSize: 32, epochs: 15, verbose: 0)
    let losses = try XCTUnwrap(history.history["loss"])
    XCTAssertLessThan(losses.last ?? 1, 0.5 * (losses.first ?? 0), "loss \(losses)")
  }
}
