import Foundation
import SwiftKeras
import SwiftKerasCallbacks
import SwiftKerasCore
import SwiftKerasModels
import TestSupport
import XCTest

final class TensorBoardTests: XCTestCase {
  func testEventFileFramingAndEncoding() throws {
    let directory = try makeTemporaryDirectory("events")
    defer { try? FileManager.default.removeItem(at: directory) }
    let writer = try EventFileWriter(directory: directory)
    try writer.addScalar("epoch_loss", 0.25, step: 3, wallTime: 1.5)
    try writer.addScalar("neg", -1e-3, step: 300, wallTime: 2)
    try writer.close()
    XCTAssertTrue(writer.url.lastPathComponent.hasPrefix("events.out.tfevents."))
    let events = try readEventFile(writer.url)
    XCTAssertEqual(events.count, 3)
    XCTAssertEqual(events[0].fileVersion, "brain.Event:2")
    XCTAssertEqual(
      events[1],
      ParsedEvent(wallTime: 1.5, step: 3, fileVersion: nil, values: [("epoch_loss", 0.25)]))
    XCTAssertEqual(
      events[2], ParsedEvent(wallTime: 2, step: 300, fileVersion: nil, values: [("neg", -1e-3)]))
    // The second record's bytes, by hand: Event{wall_time=1.5 (09 + 8 bytes), step=3
    // (10 03), summary (2A len Summary{value (0A len Value{tag (0A 0A "epoch_loss"),
    // simple_value (15 + 00 00 80 3E)})})}.
    let bytes = [UInt8](try Data(contentsOf: writer.url))
    let firstLength = Int(bytes[0]) + 16
    let second = Array(bytes[(firstLength + 12)...].prefix(41))
    let expected: [UInt8] =
      [0x09, 0, 0, 0, 0, 0, 0, 0xF8, 0x3F, 0x10, 0x03, 0x2A, 0x13, 0x0A, 0x11, 0x0A, 0x0A]
      + Array("epoch_loss".utf8) + [0x15, 0x00, 0x00, 0x80, 0x3E]
    XCTAssertEqual(Array(second.prefix(expected.count)), expected)
    XCTAssertEqual(Int(bytes[firstLength]), expected.count)
  }

  func testFitWritesTrainAndValidationScalars() throws {
    // TENSORBOARD_KEEP_DIR keeps the logs for Scripts/tensorboard_check.py.
    let keep = ProcessInfo.processInfo.environment["TENSORBOARD_KEEP_DIR"]
    let directory =
      try keep.map { URL(fileURLWithPath: $0) } ?? makeTemporaryDirectory("tensorboard")
    defer { if keep == nil { try? FileManager.default.removeItem(at: directory) } }
    setRandomSeed(2)
    let model = try tinyModel()
    let x = Tensor(shape: [10, 1], scalars: (0..<10).map { Float($0) / 20 })
    let board = TensorBoard(logDir: directory.path, updateFreq: .batches(2))
    let history = try model.fit(
      x: x, y: x * 2, batchSize: 2, epochs: 3, verbose: 0, callbacks: [board], validationSplit: 0.2)
    let trainFile = try XCTUnwrap(board.trainWriter?.url)
    let validationFile = try XCTUnwrap(board.validationWriter?.url)
    XCTAssertEqual(trainFile.deletingLastPathComponent().lastPathComponent, "train")
    XCTAssertEqual(validationFile.deletingLastPathComponent().lastPathComponent, "validation")

    let train = try readEventFile(trainFile).flatMap { event in
      event.values.map { (event.step, $0.tag, $0.value) }
    }
    let epochLoss = train.filter { $0.1 == "epoch_loss" }
    XCTAssertEqual(epochLoss.map { $0.0 }, [0, 1, 2])
    XCTAssertEqual(epochLoss.map { $0.2 }, history["loss"])
    XCTAssertEqual(train.filter { $0.1 == "epoch_learning_rate" }.map { $0.2 }, [1, 1, 1])
    // 8 training samples, batch 2: 4 batches per epoch, 12 in all; every 2nd is written.
    XCTAssertEqual(train.filter { $0.1 == "batch_loss" }.map { $0.0 }, [2, 4, 6, 8, 10, 12])

    let validation = try readEventFile(validationFile).flatMap { event in
      event.values.map { (event.step, $0.tag, $0.value) }
    }
    XCTAssertEqual(validation.filter { $0.1 == "epoch_loss" }.map { $0.2 }, history["val_loss"])
    XCTAssertEqual(
      validation.filter { $0.1 == "evaluation_loss_vs_iterations" }.map { $0.0 }, [4, 8, 12])
    XCTAssertTrue(train.allSatisfy { !$0.1.contains("val_") })
  }
}
