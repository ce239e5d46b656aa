import CZlib
import Foundation
import SwiftKeras
import SwiftKerasCore
import SwiftKerasModels
import TestSupport
import XCTest

@testable import SwiftKerasCallbacks
@testable import SwiftKerasSaving

final class ModelCheckpointTests: XCTestCase {
  override func tearDown() {
    AtomicFile.beforeRename.withLock { $0 = nil }
    super.tearDown()
  }

  func testFilepathTemplateFollowsPythonFormat() throws {
    // Expected strings are what Python's str.format gives for the same values.
    let values: [String: FilepathTemplate.Value] = [
      "epoch": .int(3), "batch": .int(12), "val_loss": .float(0.25), "acc": .float(0.875),
    ]
    XCTAssertEqual(try FilepathTemplate("m-{epoch:02d}.skw").format(values), "m-03.skw")
    XCTAssertEqual(try FilepathTemplate("{epoch:4d}|{epoch}").format(values), "   3|3")
    XCTAssertEqual(try FilepathTemplate("{val_loss:.4f}").format(values), "0.2500")
    XCTAssertEqual(try FilepathTemplate("{acc:.2f}").format(values), "0.88")  // 0.875 → half-even
    XCTAssertEqual(try FilepathTemplate("{acc:08.3f}").format(values), "0000.875")
    XCTAssertEqual(try FilepathTemplate("{val_loss}").format(values), "0.25")
    XCTAssertEqual(try FilepathTemplate("{epoch:.1f}").format(values), "3.0")
    XCTAssertEqual(try FilepathTemplate("{{x}}-{batch:03d}").format(values), "{x}-012")
    XCTAssertThrowsError(try FilepathTemplate("{missing}").format(values)) { error in
      XCTAssertTrue("\(error)".contains("missing"))
      XCTAssertTrue("\(error)".contains("val_loss"))
    }
    XCTAssertThrowsError(try FilepathTemplate("{val_loss:02d}").format(values))
    XCTAssertThrowsError(try FilepathTemplate("{epoch:x}").format(values))
    XCTAssertThrowsError(try FilepathTemplate("a}b").format(values))
  }

  func testSaveBestOnlyWritesOnlyOnImprovement() throws {
    let directory = try makeTemporaryDirectory("ckpt")
    defer { try? FileManager.default.removeItem(at: directory) }
    let model = try tinyModel()
    let checkpoint = ModelCheckpoint(
      filepath: directory.path + "/ck-{epoch:02d}-{val_loss:.4f}.skw", saveBestOnly: true)
    var messages: [String] = []
    checkpoint.log = { messages.append($0) }
    checkpoint.setModel(model)
    try checkpoint.onTrainBegin(logs: [:])
    for (epoch, value) in [Float(1), 0.5, 0.75, 0.25, 0.25].enumerated() {
      try setAllWeights(model, to: Float(epoch))
      try checkpoint.onEpochBegin(epoch, logs: [:])
      try checkpoint.onEpochEnd(epoch, logs: ["val_loss": value, "loss": 9])
    }
    let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    XCTAssertEqual(files, ["ck-01-1.0000.skw", "ck-02-0.5000.skw", "ck-04-0.2500.skw"])
    for (file, epoch) in zip(files, [0, 1, 3]) {
      let restored = try tinyModel()
      try WeightsFile.loadWeights(into: restored, from: directory.appendingPathComponent(file))
      for weight in restored.getWeights() {
        XCTAssertEqual(weight.scalars, [Float](repeating: Float(epoch), count: weight.count))
      }
    }
    XCTAssertTrue(messages.isEmpty, "verbose 0 prints nothing")
  }

  func testVerboseMessagesMatchKeras() throws {
    let directory = try makeTemporaryDirectory("ckpt-verbose")
    defer { try? FileManager.default.removeItem(at: directory) }
    let model = try tinyModel()
    let path = directory.path + "/best.skw"
    let checkpoint = ModelCheckpoint(filepath: path, verbose: 1, saveBestOnly: true)
    var messages: [String] = []
    checkpoint.log = { messages.append($0) }
    checkpoint.setModel(model)
    try checkpoint.onTrainBegin(logs: [:])
    try checkpoint.onEpochEnd(0, logs: ["val_loss": 0.5])
    try checkpoint.onEpochEnd(1, logs: ["val_loss": 0.75])
    XCTAssertEqual(
      messages,
      [
        "\nEpoch 1: val_loss improved from None to 0.50000, saving model to \(path)",
        "\nEpoch 2: val_loss did not improve from 0.50000",
      ])
  }

  func testInitialValueThresholdAndModeMax() throws {
    let directory = try makeTemporaryDirectory("ckpt-threshold")
    defer { try? FileManager.default.removeItem(at: directory) }
    let model = try tinyModel()
    let checkpoint = ModelCheckpoint(
      filepath: directory.path + "/e{epoch}.skw", monitor: "val_accuracy", saveBestOnly: true,
      mode: .max, initialValueThreshold: 0.6)
    checkpoint.setModel(model)
    try checkpoint.onTrainBegin(logs: [:])
    for (epoch, value) in [Float(0.5), 0.7, 0.65, 0.8].enumerated() {
      try checkpoint.onEpochEnd(epoch, logs: ["val_accuracy": value])
    }
    XCTAssertEqual(
      checkpoint.savedPaths.map { URL(fileURLWithPath: $0).lastPathComponent },
      ["e2.skw", "e4.skw"])
  }

  func testFailedSaveLeavesThePreviousFileIntact() throws {
    let directory = try makeTemporaryDirectory("ckpt-atomic")
    defer { try? FileManager.default.removeItem(at: directory) }
    let model = try tinyModel()
    let url = directory.appendingPathComponent("latest.skw")
    let checkpoint = ModelCheckpoint(filepath: url.path)
    checkpoint.setModel(model)
    try checkpoint.onTrainBegin(logs: [:])
    try setAllWeights(model, to: 1)
    try checkpoint.onEpochEnd(0, logs: ["val_loss": 1])
    let before = try Data(contentsOf: url)

    // The next save is interrupted after the temporary file is written, before the rename.
    struct Interrupted: Error {}
    final class Seen: @unchecked Sendable { var path: String? }
    let seen = Seen()
    AtomicFile.beforeRename.withLock {
      $0 = { temporary in
        seen.path = temporary.path
        XCTAssertTrue(FileManager.default.fileExists(atPath: temporary.path))
        throw Interrupted()
      }
    }
    try setAllWeights(model, to: 2)
    XCTAssertThrowsError(try checkpoint.onEpochEnd(1, logs: ["val_loss": 0.5])) { error in
      XCTAssertTrue(error is Interrupted, "\(error)")
    }
    XCTAssertNotNil(seen.path)
    XCTAssertEqual(try Data(contentsOf: url), before)
    XCTAssertEqual(
      try FileManager.default.contentsOfDirectory(atPath: directory.path), ["latest.skw"])
    let restored = try tinyModel()
    try WeightsFile.loadWeights(into: restored, from: url)
    XCTAssertEqual(restored.getWeights()[0].scalars, [1])
  }

  func testSaverThatThrowsMidWriteThroughAtomicFileKeepsOldFile() throws {
    let directory = try makeTemporaryDirectory("ckpt-half")
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("w.skw")
    let model = try tinyModel()
    try setAllWeights(model, to: 7)
    try WeightsFile.save(model, to: url)
    // A saver that writes half of its bytes to the temporary file, then fails.
    struct Crash: Error {}
    AtomicFile.beforeRename.withLock {
      $0 = { temporary in
        let data = try Data(contentsOf: temporary)
        try data.prefix(data.count / 2).write(to: temporary)
        throw Crash()
      }
    }
    try setAllWeights(model, to: 8)
    XCTAssertThrowsError(try WeightsFile.save(model, to: url))
    AtomicFile.beforeRename.withLock { $0 = nil }
    let file = try WeightsFile.read(from: url)
    XCTAssertEqual(
      file.entries.map { $0.tensor.scalars }, model.getWeights().map { $0.scalars.map { _ in 7 } })
  }

  func testWeightsFileRoundTripAndCorruptionDetection() throws {
    let directory = try makeTemporaryDirectory("wfile")
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("t.skw")
    let file = WeightsFile(
      metadata: ["epoch": "3"],
      entries: [
        .init(
          name: "kernel", tensor: Tensor(shape: [2, 3], scalars: [1, -2, 3.5, 0, .infinity, 6])),
        .init(name: "scalar", tensor: Tensor(shape: [], scalars: [42])),
      ])
    try file.write(to: url)
    XCTAssertEqual(try WeightsFile.read(from: url), file)
    var bytes = try Data(contentsOf: url)
    // magic 4 + version 4 + metadata length 4 + {"epoch":"3"} 13 + count 4 + name length 4 + "kernel" 6 + rank 4 + dims 16 = 59.
    XCTAssertEqual(bytes.count, 59 + 6 * 4 + (4 + 6 + 4 + 0 + 4) + 4)
    bytes[40] ^= 0xFF
    XCTAssertThrowsError(try WeightsFile(decoding: bytes)) { error in
      XCTAssertTrue("\(error)".contains("checksum"), "\(error)")
    }
    XCTAssertThrowsError(try WeightsFile(decoding: Data("nope".utf8)))
  }

  func testCRC32CKnownValues() {
    // The CRC-32C check value and the iSCSI test vectors (RFC 3720, B.4).
    XCTAssertEqual(CRC32.castagnoli.checksum(Array("123456789".utf8)), 0xE306_9283)
    XCTAssertEqual(CRC32.castagnoli.checksum([UInt8](repeating: 0, count: 32)), 0x8A91_36AA)
    XCTAssertEqual(CRC32.castagnoli.checksum([UInt8](repeating: 0xFF, count: 32)), 0x62A8_AB43)
    XCTAssertEqual(CRC32.castagnoli.checksum(Array(0..<32)), 0x46DD_794E)
    // CRC-32 (IEEE), ZIP's and PNG's, against zlib's.
    for bytes in [Array("123456789".utf8), Array(0..<255)] {
      let zlib = bytes.withUnsafeBufferPointer { crc32(0, $0.baseAddress, uInt($0.count)) }
      XCTAssertEqual(CRC32.ieee.checksum(bytes), UInt32(zlib))
    }
    XCTAssertEqual(CRC32.ieee.checksum(Array("123456789".utf8)), 0xCBF4_3926)
  }

  func testSavesEveryNBatchesAcrossEpochs() throws {
    let directory = try makeTemporaryDirectory("ckpt-batches")
    defer { try? FileManager.default.removeItem(at: directory) }
    setRandomSeed(1)
    let model = try tinyModel()
    let checkpoint = ModelCheckpoint(
      filepath: directory.path + "/e{epoch}-b{batch}.skw", saveFreq: .batches(3))
    let x = Tensor(shape: [8, 1], scalars: (0..<8).map { Float($0) / 80 })
    try model.fit(x: x, y: x, batchSize: 2, epochs: 2, verbose: 0, callbacks: [checkpoint])
    // 4 batches per epoch, counted across epochs: saves after batches 3 (epoch 1) and 6
    // (epoch 2, its 2nd batch).
    let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    XCTAssertEqual(files, ["e1-b3.skw", "e2-b2.skw"])
  }
}

final class ModelCheckpointFormatTests: XCTestCase {
  func testTheFileNamePicksKerasFormats() throws {
    let directory = try makeTemporaryDirectory("checkpoint-formats")
    defer { try? FileManager.default.removeItem(at: directory) }
    let x = Tensor(shape: [8, 1], scalars: (0..<8).map { Float($0) / 8 })
    let y = x * 2
    for name in ["best.keras", "best.weights.h5"] {
      let model = try tinyModel()
      let path = directory.appendingPathComponent(name).path
      try model.fit(
        x: x, y: y, batchSize: 4, epochs: 2, verbose: 0,
        callbacks: [ModelCheckpoint(filepath: path, monitor: "loss")])
      let restored = try tinyModel()
      if name.hasSuffix(".keras") {
        let loaded = try loadModel(from: path)
        XCTAssertEqual(try loaded.predict(x: x).scalars, try model.predict(x: x).scalars)
      } else {
        _ = try restored.predict(x: x)
        try restored.loadWeights(from: path)
        XCTAssertEqual(try restored.predict(x: x).scalars, try model.predict(x: x).scalars)
      }
    }
  }
}
