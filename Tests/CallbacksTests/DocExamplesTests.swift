import Foundation
import SwiftKeras
import SwiftKerasCallbacks
import SwiftKerasCore
import SwiftKerasLayers
import SwiftKerasModels
import TestSupport
import XCTest

/// Printed by the custom-callback example in Docs/Callbacks.md.
final class PrintEveryEpoch: Callback {
  override func onEpochEnd(_ epoch: Int, logs: Logs) {
    print(
      "epoch \(epoch + 1):",
      logs.keys.sorted().map { "\($0)=\(logs[$0] ?? .nan)" }.joined(separator: " "))
    if (logs["loss"] ?? 0) < 0.01 { model?.stopTraining = true }
  }
}

/// The examples of Docs/Callbacks.md, compiled and run as written.
final class DocExamplesTests: XCTestCase {
  func testDocExamples() throws {
    setRandomSeed(7)
    let x = Tensor(shape: [64, 2], scalars: (0..<128).map { Float($0 % 17) / 17 })
    let y = Tensor(shape: [64, 1], scalars: (0..<64).map { Float($0 % 2) })
    let model = try Sequential([
      Input(shape: [2]), Dense(8, activation: .relu), Dense(1, activation: .sigmoid),
    ])
    try model.compile(optimizer: "adam", loss: "binary_crossentropy", metrics: ["accuracy"])

    // EarlyStopping
    let stop = EarlyStopping(monitor: "val_loss", patience: 3, restoreBestWeights: true)
    try model.fit(x: x, y: y, epochs: 100, verbose: 0, callbacks: [stop], validationSplit: 0.25)
    print("stopped at epoch", stop.stoppedEpoch, "best", stop.bestEpoch, stop.best ?? .nan)
    XCTAssertNotNil(stop.best)

    // ModelCheckpoint
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ckpt").path
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let checkpoint = ModelCheckpoint(
      filepath: dir + "/weights-{epoch:02d}-{val_loss:.4f}.skw", monitor: "val_loss",
      saveBestOnly: true)
    try model.fit(x: x, y: y, epochs: 5, verbose: 0, callbacks: [checkpoint], validationSplit: 0.25)
    if let best = checkpoint.savedPaths.last {
      try WeightsFile.loadWeights(into: model, from: URL(fileURLWithPath: best))
    }
    XCTAssertFalse(checkpoint.savedPaths.isEmpty)
    let custom = ModelCheckpoint(
      filepath: dir + "/model.bin",
      saver: { model, url in
        try WeightsFile(
          metadata: ["note": "custom"],
          entries: model.getWeights().enumerated().map {
            WeightsFile.Entry(name: "w\($0.offset)", tensor: $0.element)
          }
        ).write(to: url)
      })
    try model.fit(x: x, y: y, epochs: 1, verbose: 0, callbacks: [custom])
    XCTAssertEqual(
      try WeightsFile.read(from: URL(fileURLWithPath: dir + "/model.bin")).metadata["note"],
      "custom")

    // ReduceLROnPlateau, LearningRateScheduler
    let reduce = ReduceLROnPlateau(monitor: "val_loss", factor: 0.5, patience: 2, minLR: 1e-5)
    let warmup = LearningRateScheduler { epoch, rate in epoch < 2 ? 1e-3 : rate }
    try model.fit(
      x: x, y: y, epochs: 6, verbose: 0, callbacks: [warmup, reduce], validationSplit: 0.25)
    print(model.optimizer?.learningRate ?? .nan)

    // TerminateOnNaN, LambdaCallback
    var losses: [Float] = []
    let record = LambdaCallback(onEpochEnd: { _, logs in losses.append(logs["loss"] ?? .nan) })
    try model.fit(x: x, y: y, epochs: 2, verbose: 0, callbacks: [TerminateOnNaN(), record])
    XCTAssertEqual(losses.count, 2)

    // BackupAndRestore
    let backupDir = FileManager.default.temporaryDirectory.appendingPathComponent("backup").path
    let backup = BackupAndRestore(backupDirectory: backupDir)
    try model.fit(x: x, y: y, epochs: 4, verbose: 0, callbacks: [backup])
    XCTAssertFalse(FileManager.default.fileExists(atPath: backupDir))

    // TensorBoard
    let logDir = FileManager.default.temporaryDirectory.appendingPathComponent("logs").path
    defer { try? FileManager.default.removeItem(atPath: logDir) }
    try model.fit(
      x: x, y: y, epochs: 3, verbose: 0,
      callbacks: [TensorBoard(logDir: logDir, updateFreq: .batches(1))], validationSplit: 0.25)

    // Plotting a History (HISTORY_SVG_PATH keeps a copy for a visual check).
    let history = try model.fit(x: x, y: y, epochs: 5, verbose: 0, validationSplit: 0.25)
    try history.plot(
      to: FileManager.default.temporaryDirectory.appendingPathComponent("history.svg").path)
    if let keep = ProcessInfo.processInfo.environment["HISTORY_SVG_PATH"] {
      let longer = try model.fit(
        x: x, y: y, epochs: 30, verbose: 0,
        callbacks: [LearningRateScheduler { epoch, rate in epoch == 15 ? rate * 0.1 : rate }],
        validationSplit: 0.25)
      try longer.plot(to: keep)
    }

    // Writing your own
    try model.fit(x: x, y: y, epochs: 1, verbose: 0, callbacks: [PrintEveryEpoch()])
  }
}
