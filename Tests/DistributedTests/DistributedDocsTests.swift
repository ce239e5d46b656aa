import Foundation
import SwiftKeras
import TestSupport
import XCTest

/// Docs/Distributed.md's code, kept compiling and running (with the one-process strategy
/// and a slice of Fashion-MNIST; the MPI runs are MPITrainingTests).
final class DistributedDocsTests: XCTestCase {
  func testTheGuideExample() throws {
    let strategy = DataParallel()
    let ((xAll, yAll), (xTestAll, yTestAll)) = try FashionMNIST.load(scaled: true)
    let (xTrain, yTrain) = (xAll[rows: 0..<2048], yAll[rows: 0..<2048])
    let (xTest, yTest) = (xTestAll[rows: 0..<512], yTestAll[rows: 0..<512])
    let model = try Sequential([
      Input(shape: [28, 28]), Flatten(), Dense(128, activation: .relu), Dropout(0.2),
      Dense(10, activation: .softmax),
    ])
    try model.compile(
      optimizer: "adam", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"])
    try model.fit(
      x: xTrain, y: yTrain, batchSize: 256, epochs: 2, verbose: 0, distribution: strategy)
    let scores = try model.evaluate(x: xTest, y: yTest, verbose: 0, distribution: strategy)
    XCTAssertGreaterThan(scores["accuracy"] ?? 0, 0.5)
    let folder = try makeTemporaryDirectory("distributed-docs")
    defer { try? FileManager.default.removeItem(at: folder) }
    if strategy.isChief { try model.save(to: folder.appendingPathComponent("model.keras").path) }
    XCTAssertTrue(
      FileManager.default.fileExists(atPath: folder.appendingPathComponent("model.keras").path))

    let warmup = LearningRateWarmup(
      targetLearningRate: 0.001 * Float(strategy.size), warmupEpochs: 5, ranks: strategy.size)
    try model.fit(
      x: xTrain, y: yTrain, batchSize: 64 * strategy.size, epochs: 1, verbose: 0,
      callbacks: [warmup], distribution: strategy)
    // One rank: the warm-up starts and stays at the target.
    XCTAssertEqual(model.optimizer?.learningRate ?? 0, 0.001, accuracy: 1e-9)
  }
}
