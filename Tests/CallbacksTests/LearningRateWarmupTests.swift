import SwiftKeras
import TestSupport
import XCTest

final class LearningRateWarmupTests: XCTestCase {
  /// Horovod's ramp for target 0.4, 4 ranks, 2 warm-up epochs of 2 steps, worked by hand:
  /// 0.1 · (t · 3/2 + 1) at t = 0.5, 1, 1.5, 2, then left at 0.4.
  func testRampsFromTargetOverRanksToTarget() throws {
    let model = try Sequential([Input(shape: [2]), Dense(1)])
    try model.compile(optimizer: SGD(learningRate: 0.4), loss: "mse")
    var seen: [Float] = []
    let recorder = LambdaCallback(onTrainBatchEnd: { _, _ in
      seen.append(model.optimizer?.learningRate ?? .nan)
    })
    let warmup = LearningRateWarmup(targetLearningRate: 0.4, warmupEpochs: 2, ranks: 4)
    let x = Tensor(shape: [4, 2], scalars: [1, 2, 3, 4, 5, 6, 7, 8])
    let y = Tensor(shape: [4, 1], scalars: [1, 0, 1, 0])
    try model.fit(
      x: x, y: y, batchSize: 2, epochs: 3, verbose: 0, callbacks: [warmup, recorder],
      shuffle: false)
    let expected: [Float] = [0.175, 0.25, 0.325, 0.4, 0.4, 0.4]
    XCTAssertEqual(seen.count, expected.count)
    for (value, target) in zip(seen, expected) { XCTAssertEqual(value, target, accuracy: 1e-6) }
  }

  func testRejectsNonPositiveWarmup() throws {
    let model = try Sequential([Input(shape: [2]), Dense(1)])
    try model.compile(optimizer: SGD(), loss: "mse")
    let warmup = LearningRateWarmup(targetLearningRate: 0.1, warmupEpochs: 0, ranks: 2)
    XCTAssertThrowsError(
      try model.fit(
        x: Tensor.zeros([2, 2]), y: Tensor.zeros([2, 1]), verbose: 0, callbacks: [warmup]))
  }
}
