import Foundation
import SwiftKeras
import SwiftKerasCallbacks
import SwiftKerasCore
import SwiftKerasLayers
import SwiftKerasModels
import TestSupport
import XCTest

final class BackupAndRestoreTests: XCTestCase {
  struct Interrupted: Error {}

  /// Throws out of fit at the end of epoch `epoch` (0-based).
  final class Interrupt: Callback {
    let epoch: Int
    init(atEpochEnd epoch: Int) { self.epoch = epoch }
    override func onEpochEnd(_ epoch: Int, logs: Logs) throws {
      if epoch == self.epoch { throw Interrupted() }
    }
  }

  func makeModel() throws -> Sequential {
    let model = try Sequential([Input(shape: [3]), Dense(8, activation: .tanh), Dense(1)])
    try model.compile(optimizer: try Adam(learningRate: 0.01), loss: "mse")
    return model
  }

  func data() -> (Tensor, Tensor) {
    var rng = RandomGenerator(seed: 99)
    let x = Tensor(shape: [40, 3], scalars: (0..<120).map { _ in rng.nextUniform() * 2 - 1 })
    let y = Tensor(
      shape: [40, 1], scalars: (0..<40).map { i in x.scalars[3 * i] - 0.5 * x.scalars[3 * i + 2] })
    return (x, y)
  }

  func testInterruptedRunResumesToTheSameWeights() throws {
    let (x, y) = data()
    let directory = try makeTemporaryDirectory("backup")
    defer { try? FileManager.default.removeItem(at: directory) }

    setRandomSeed(11)
    let reference = try makeModel()
    let referenceHistory = try reference.fit(x: x, y: y, batchSize: 8, epochs: 5, verbose: 0)

    setRandomSeed(11)
    let model = try makeModel()
    let backup = BackupAndRestore(backupDirectory: directory.path)
    // Interrupted at the end of epoch 2 (index 1), after the backup was written.
    XCTAssertThrowsError(
      try model.fit(
        x: x, y: y, batchSize: 8, epochs: 5, verbose: 0,
        callbacks: [backup, Interrupt(atEpochEnd: 1)]))
    XCTAssertTrue(FileManager.default.fileExists(atPath: backup.backupFile.path))
    let interruptedWeights = model.getWeights()
    XCTAssertNotEqual(
      interruptedWeights.map { $0.scalars }, reference.getWeights().map { $0.scalars })

    // A fresh process would rebuild the model: use a new one with different weights.
    setRandomSeed(12345)
    let resumed = try makeModel()
    let history = try resumed.fit(
      x: x, y: y, batchSize: 8, epochs: 5, verbose: 0, callbacks: [backup])
    XCTAssertEqual(backup.restoredEpoch, 2)
    XCTAssertEqual(history.epoch, [2, 3, 4])
    XCTAssertEqual(resumed.optimizer?.iterations, reference.optimizer?.iterations)
    XCTAssertEqual(resumed.optimizer?.iterations, 25)
    for (a, b) in zip(resumed.getWeights(), reference.getWeights()) {
      XCTAssertEqual(a.scalars, b.scalars)
    }
    XCTAssertEqual(history["loss"], Array(referenceHistory["loss"].suffix(3)))
    // Training ended normally: the backup is deleted.
    XCTAssertFalse(FileManager.default.fileExists(atPath: directory.path))
  }

  func testWithoutBackupTheResumedRunDiffers() throws {
    // Control for the test above: without the callback the second fit starts over.
    let (x, y) = data()
    setRandomSeed(11)
    let reference = try makeModel()
    try reference.fit(x: x, y: y, batchSize: 8, epochs: 5, verbose: 0)
    setRandomSeed(11)
    let model = try makeModel()
    XCTAssertThrowsError(
      try model.fit(
        x: x, y: y, batchSize: 8, epochs: 5, verbose: 0, callbacks: [Interrupt(atEpochEnd: 1)]))
    let history = try model.fit(x: x, y: y, batchSize: 8, epochs: 5, verbose: 0)
    XCTAssertEqual(history.epoch, [0, 1, 2, 3, 4])
    XCTAssertNotEqual(model.getWeights()[0].scalars, reference.getWeights()[0].scalars)
  }

  func testBatchFrequencyKeepsTheBackupWhenAsked() throws {
    let (x, y) = data()
    let directory = try makeTemporaryDirectory("backup-batches")
    defer { try? FileManager.default.removeItem(at: directory) }
    setRandomSeed(3)
    let model = try makeModel()
    let backup = BackupAndRestore(
      backupDirectory: directory.path, saveFreq: .batches(3), deleteCheckpoint: false)
    try model.fit(x: x, y: y, batchSize: 8, epochs: 2, verbose: 0, callbacks: [backup])
    let file = try WeightsFile.read(from: backup.backupFile)
    // 5 batches per epoch; saves after batches 3, 6 (epoch 2's first) and 9 (its 4th):
    // the last one is at epoch index 1, batch index 3, after 9 steps.
    XCTAssertEqual(file.metadata["epoch"], "1")
    XCTAssertEqual(file.metadata["batch"], "3")
    XCTAssertEqual(file.metadata["iterations"], "9")
    XCTAssertEqual(file.entries.filter { $0.name.hasPrefix("model/") }.count, 4)
  }
}
