import CZlib
import Foundation
import SwiftKeras
import TestSupport
import XCTest

/// Real data through the whole image path: Fashion-MNIST's 10,000 test images written as
/// PNG files in one folder per class, read back by imageDatasetFromDirectory and trained
/// on, against the same images as tensors.
final class FashionMNISTFolderTests: XCTestCase {
  /// A grey 8-bit PNG of `pixels` (row-major), written with zlib as the format says.
  static func png(width: Int, height: Int, pixels: [UInt8]) -> [UInt8] {
    func chunk(_ type: String, _ body: [UInt8]) -> [UInt8] {
      let typed = Array(type.utf8) + body
      let crc = typed.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, UInt32($0.count))) }
      return bigEndian(UInt32(body.count)) + typed + bigEndian(crc)
    }
    func bigEndian(_ value: UInt32) -> [UInt8] {
      [
        UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF),
        UInt8(value & 0xFF),
      ]
    }
    var raw: [UInt8] = []
    for row in 0..<height {
      raw.append(0)  // filter type None
      raw += pixels[(row * width)..<((row + 1) * width)]
    }
    var compressedSize = compressBound(uLong(raw.count))
    var compressed = [UInt8](repeating: 0, count: Int(compressedSize))
    _ = compress(&compressed, &compressedSize, raw, uLong(raw.count))
    let header = bigEndian(UInt32(width)) + bigEndian(UInt32(height)) + [8, 0, 0, 0, 0]
    return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", header)
      + chunk("IDAT", Array(compressed[0..<Int(compressedSize)])) + chunk("IEND", [])
  }

  func model() throws -> Sequential {
    setRandomSeed(12)
    let model = try Sequential([
      Input(shape: [28, 28, 1]), Flatten(), Dense(32, activation: .relu),
      Dense(10, activation: .softmax),
    ])
    try model.compile(
      optimizer: "adam", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"])
    return model
  }

  func testTrainingFromAPNGFolderEqualsTrainingOnTheSameTensors() throws {
    let (_, (xTest, yTest)) = try FashionMNIST.load()
    let root = try makeTemporaryDirectory(self)
    let pixels = xTest.scalars.map { UInt8($0) }
    let labels = yTest.scalars.map { Int($0) }
    for label in 0..<10 {
      try FileManager.default.createDirectory(
        at: root.appendingPathComponent("\(label)"), withIntermediateDirectories: true)
    }
    for (i, label) in labels.enumerated() {
      let bytes = Self.png(
        width: 28, height: 28, pixels: Array(pixels[(i * 784)..<((i + 1) * 784)]))
      let name = String(repeating: "0", count: 5 - String(i).count) + "\(i).png"
      try Data(bytes).write(to: root.appendingPathComponent("\(label)/\(name)"))
    }
    let folder = try imageDatasetFromDirectory(
      root.path, colorMode: .grayscale, imageSize: [28, 28], batchSize: 32, shuffle: false)
    XCTAssertEqual(folder.classNames, (0..<10).map(String.init))
    XCTAssertEqual(folder.count, 313)
    // The files come class by class, each class in file-name (= index) order.
    let order = (0..<10).flatMap { label in labels.indices.filter { labels[$0] == label } }
    let x = xTest.gathering(rows: order).reshaped(to: [10_000, 28, 28, 1]) / 255
    let y = yTest.gathering(rows: order)

    let fromTensors = try model()
    try fromTensors.fit(x: x, y: y, batchSize: 32, epochs: 1, verbose: 0, shuffle: false)
    let tensorScores = try fromTensors.evaluate(x: x, y: y, verbose: 0)

    let fromFolder = try model()
    let scaled = folder.map { x, y in (x / 255, y) }
    try fromFolder.fit(scaled, epochs: 1, verbose: 0)
    let folderScores = try fromFolder.evaluate(scaled, verbose: 0)

    XCTAssertEqual(folderScores["accuracy"], tensorScores["accuracy"])
    XCTAssertEqual(folderScores["loss"], tensorScores["loss"])
    // Unshuffled, one epoch sees the classes one after the other and ends biased towards
    // the last ones (0.3 here), but well above chance (0.1): the images were learned from.
    XCTAssertGreaterThan(folderScores["accuracy"] ?? 0, 0.2)
  }
}
