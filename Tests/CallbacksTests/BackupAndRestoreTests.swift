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

/// Resuming inside an epoch, from a batch-frequency backup, through a shuffled pipeline.
final class BackupAndRestoreMidEpochTests: XCTestCase {
  struct Interrupted: Error {}

  /// Throws out of fit before batch `batch` of epoch `epoch` trains.
  final class InterruptAtBatch: Callback {
    let epoch: Int
    let batch: Int
    var currentEpoch = 0
    init(epoch: Int, batch: Int) {
      self.epoch = epoch
      self.batch = batch
    }
    override func onEpochBegin(_ epoch: Int, logs: Logs) throws { currentEpoch = epoch }
    override func onTrainBatchBegin(_ batch: Int, logs: Logs) throws {
      if currentEpoch == epoch && batch == self.batch { throw Interrupted() }
    }
  }

  func makeModel() throws -> Sequential {
    setRandomSeed(8)
    let model = try Sequential([Input(shape: [3]), Dense(8, activation: .tanh), Dense(1)])
    try model.compile(optimizer: try Adam(learningRate: 0.01), loss: "mse")
    return model
  }

  func pipeline() -> Dataset {
    var rng = RandomGenerator(seed: 4)
    let x = Tensor(shape: [40, 3], scalars: (0..<120).map { _ in rng.nextUniform() })
    let y = x.sum(alongAxes: [1]).reshaped(to: [40, 1])
    return Dataset(x: x, y: y).shuffle(bufferSize: 40).batch(4).map { x, y in (x * 2, y) }
      .prefetch(2)
  }

  func run(interruptAt: (epoch: Int, batch: Int)?, steps: Int? = nil, endless: Bool = false)
    throws -> [[Float]]
  {
    let directory = try makeTemporaryDirectory("backup-mid-epoch")
    defer { try? FileManager.default.removeItem(at: directory) }
    let data = endless ? pipeline().repeat() : pipeline()
    let model = try makeModel()
    setRandomSeed(30)
    let backup = BackupAndRestore(backupDirectory: directory.path, saveFreq: .batches(1))
    if let interruptAt {
      XCTAssertThrowsError(
        try model.fit(
          data, epochs: 3, verbose: 0,
          callbacks: [
            backup, InterruptAtBatch(epoch: interruptAt.epoch, batch: interruptAt.batch),
          ],
          stepsPerEpoch: steps))
      // A new process: another model, another global seed.
      let resumed = try makeModel()
      setRandomSeed(999)
      try resumed.fit(data, epochs: 3, verbose: 0, callbacks: [backup], stepsPerEpoch: steps)
      XCTAssertEqual(backup.restoredEpoch, interruptAt.epoch)
      XCTAssertEqual(resumed.optimizer?.iterations, 3 * (steps ?? 10))
      return resumed.getWeights().map(\.scalars)
    }
    try model.fit(data, epochs: 3, verbose: 0, callbacks: [backup], stepsPerEpoch: steps)
    return model.getWeights().map(\.scalars)
  }

  func testResumingInsideAnEpochEndsWithTheSameWeightsBitForBit() throws {
    let reference = try run(interruptAt: nil)
    XCTAssertEqual(try run(interruptAt: (epoch: 1, batch: 6)), reference)
  }

  func testResumingTensorsInsideAnEpochToo() throws {
    var rng = RandomGenerator(seed: 4)
    let x = Tensor(shape: [40, 3], scalars: (0..<120).map { _ in rng.nextUniform() })
    let y = x.sum(alongAxes: [1]).reshaped(to: [40, 1])
    func run(interruptAt: (epoch: Int, batch: Int)?, steps: Int?) throws -> [[Float]] {
      let directory = try makeTemporaryDirectory("backup-mid-epoch-tensors")
      defer { try? FileManager.default.removeItem(at: directory) }
      let backup = BackupAndRestore(backupDirectory: directory.path, saveFreq: .batches(1))
      var model = try makeModel()
      setRandomSeed(30)
      if let interruptAt {
        XCTAssertThrowsError(
          try model.fit(
            x: x, y: y, batchSize: 4, epochs: 3, verbose: 0,
            callbacks: [
              backup, InterruptAtBatch(epoch: interruptAt.epoch, batch: interruptAt.batch),
            ],
            stepsPerEpoch: steps))
        model = try makeModel()
        setRandomSeed(999)
      }
      try model.fit(
        x: x, y: y, batchSize: 4, epochs: 3, verbose: 0, callbacks: [backup], stepsPerEpoch: steps)
      return model.getWeights().map(\.scalars)
    }
    XCTAssertEqual(
      try run(interruptAt: (epoch: 1, batch: 7), steps: nil), try run(interruptAt: nil, steps: nil))
    // With stepsPerEpoch the shuffled passes run on across epochs (7 steps of a 10-batch pass).
    XCTAssertEqual(
      try run(interruptAt: (epoch: 2, batch: 2), steps: 7), try run(interruptAt: nil, steps: 7))
  }

  func testResumingAnEndlessStreamInsideAnEpochToo() throws {
    let reference = try run(interruptAt: nil, steps: 7, endless: true)
    XCTAssertEqual(try run(interruptAt: (epoch: 2, batch: 3), steps: 7, endless: true), reference)
  }
}
