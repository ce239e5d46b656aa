import Foundation
import SwiftKeras
import SwiftKerasCallbacks
import SwiftKerasCore
import SwiftKerasLayers
import SwiftKerasModels
import TestSupport
import XCTest

final class CSVLoggerTests: XCTestCase {
  func classifier() throws -> Sequential {
    let model = try Sequential([Input(shape: [2]), Dense(3, activation: .softmax)])
    try model.compile(
      optimizer: "sgd", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"])
    return model
  }

  func rows(_ url: URL) throws -> [[String]] {
    try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map {
      $0.components(separatedBy: ",")
    }
  }

  func testOneRowPerEpochWithKerasColumnsAndAppend() throws {
    let directory = try makeTemporaryDirectory("csv")
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("log.csv")
    let x = Tensor([[0, 1], [1, 0], [1, 1], [0, 0]])
    let y = Tensor([0, 1, 2, 1])
    let model = try classifier()
    let history = try model.fit(
      x: x, y: y, batchSize: 2, epochs: 3, verbose: 0, callbacks: [CSVLogger(file.path)],
      validationSplit: 0.25)
    var table = try rows(file)
    // As Keras: "epoch", then the log keys sorted.
    XCTAssertEqual(table[0], ["epoch", "accuracy", "loss", "val_accuracy", "val_loss"])
    XCTAssertEqual(table.count, 4)
    XCTAssertEqual(table.dropFirst().map { $0[0] }, ["0", "1", "2"])
    for (epoch, row) in table.dropFirst().enumerated() {
      XCTAssertEqual(row.count, 5)
      XCTAssertEqual(Float(row[2]) ?? .nan, history["loss"][epoch], accuracy: 1e-6)
    }

    // Append continues the file; without append it starts over.
    try model.fit(
      x: x, y: y, batchSize: 2, epochs: 2, verbose: 0,
      callbacks: [CSVLogger(file.path, append: true)], validationSplit: 0.25)
    table = try rows(file)
    XCTAssertEqual(table.count, 6)
    XCTAssertEqual(table.filter { $0[0] == "epoch" }.count, 1)
    try model.fit(
      x: x, y: y, batchSize: 2, epochs: 1, verbose: 0,
      callbacks: [CSVLogger(file.path, separator: ";")])
    let replaced = try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
    XCTAssertEqual(replaced, ["epoch;accuracy;loss", replaced[1]])
  }
}
