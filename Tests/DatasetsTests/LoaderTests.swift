import Foundation
import SwiftKeras
import SwiftKerasCore
import SwiftKerasDatasets
import TestSupport
import XCTest

/// The keras.datasets-shaped loaders, on small synthetic directories and on the real
/// Fashion-MNIST installed by Debian's dataset-fashion-mnist package.
final class LoaderTests: XCTestCase {
  /// Writes an MNIST-style directory: `train` and `test` images of 2×3 pixels.
  func makeDirectory(
    trainImages: [[UInt8]], trainLabels: [UInt8], testImages: [[UInt8]], testLabels: [UInt8],
    gzipped: Set<String> = []
  ) throws -> URL {
    let directory = try makeTemporaryDirectory(self)
    let files: [(String, [UInt8])] = [
      (
        "train-images-idx3-ubyte",
        handIDX(
          code: 0x08, shape: [UInt32(trainImages.count), 2, 3], body: trainImages.flatMap { $0 })
      ),
      (
        "train-labels-idx1-ubyte",
        handIDX(code: 0x08, shape: [UInt32(trainLabels.count)], body: trainLabels)
      ),
      (
        "t10k-images-idx3-ubyte",
        handIDX(
          code: 0x08, shape: [UInt32(testImages.count), 2, 3], body: testImages.flatMap { $0 })
      ),
      (
        "t10k-labels-idx1-ubyte",
        handIDX(code: 0x08, shape: [UInt32(testLabels.count)], body: testLabels)
      ),
    ]
    for (name, bytes) in files {
      if gzipped.contains(name) {
        try writeFile(try systemGzip(bytes), named: name + ".gz", in: directory)
      } else {
        try writeFile(bytes, named: name, in: directory)
      }
    }
    return directory
  }

  let imageA: [UInt8] = [0, 1, 2, 3, 4, 255]
  let imageB: [UInt8] = [10, 20, 30, 40, 50, 60]

  func testMNISTLoadsRawAndGzippedFiles() throws {
    let directory = try makeDirectory(
      trainImages: [imageA, imageB], trainLabels: [3, 9], testImages: [imageB], testLabels: [0],
      gzipped: ["train-images-idx3-ubyte", "t10k-labels-idx1-ubyte"])
    let ((xTrain, yTrain), (xTest, yTest)) = try MNIST.load(directory: directory)
    XCTAssertEqual(xTrain, Tensor(shape: [2, 2, 3], scalars: (imageA + imageB).map { Float($0) }))
    XCTAssertEqual(yTrain, Tensor([3, 9]))
    XCTAssertEqual(xTest, Tensor(shape: [1, 2, 3], scalars: imageB.map { Float($0) }))
    XCTAssertEqual(yTest, Tensor([0]))
    let scaled = try MNIST.load(directory: directory.path, scaled: true)
    XCTAssertEqual(scaled.0.xTrain[0, 1, 2], 1)
    XCTAssertEqual(scaled.0.xTrain[1, 0, 1], Float(20) / 255)
    XCTAssertEqual(MNIST.classNames, ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"])
  }

  func testMismatchedCountsNameBothFiles() throws {
    let directory = try makeDirectory(
      trainImages: [imageA, imageB], trainLabels: [1, 2, 3], testImages: [imageB], testLabels: [0])
    assertThrowsSwiftKerasError(
      .invalidData,
      mentioning: ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "2 images", "3 labels"]
    ) { try MNIST.load(directory: directory) }
  }

  func testLabelOutOfRangeThrows() throws {
    let directory = try makeDirectory(
      trainImages: [imageA], trainLabels: [10], testImages: [imageB], testLabels: [0])
    assertThrowsSwiftKerasError(.invalidData, mentioning: ["train-labels-idx1-ubyte", "label 10"]) {
      try MNIST.load(directory: directory)
    }
  }

  func testMissingFileListsExpectedFiles() throws {
    let directory = try makeDirectory(
      trainImages: [imageA], trainLabels: [1], testImages: [imageB], testLabels: [0])
    try FileManager.default.removeItem(
      at: directory.appendingPathComponent("t10k-images-idx3-ubyte"))
    assertThrowsSwiftKerasError(
      .io,
      mentioning: ["t10k-images-idx3-ubyte.gz", "train-labels-idx1-ubyte[.gz]", directory.path]
    ) { try MNIST.load(directory: directory) }
  }

  func testMissingDirectoryNamesTheDebianPackage() {
    let missing = "/nonexistent/fashion-\(UUID().uuidString)"
    assertThrowsSwiftKerasError(
      .io,
      mentioning: [missing, "train-images-idx3-ubyte", "apt-get install dataset-fashion-mnist"]
    ) { try FashionMNIST.load(directory: missing) }
  }

  func testWrongRankImageFileThrows() throws {
    let directory = try makeDirectory(
      trainImages: [imageA], trainLabels: [1], testImages: [imageB], testLabels: [0])
    try writeFile(
      handIDX(code: 0x08, shape: [6], body: imageA), named: "train-images-idx3-ubyte", in: directory
    )
    assertThrowsSwiftKerasError(.invalidData, mentioning: ["train-images-idx3-ubyte", "[6]"]) {
      try MNIST.load(directory: directory)
    }
  }

  func testRealFashionMNIST() throws {
    XCTAssertEqual(FashionMNIST.defaultDirectory, "/usr/share/datasets/fashion-mnist")
    XCTAssertEqual(
      FashionMNIST.classNames,
      [
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
        "Ankle boot",
      ])
    let ((xTrain, yTrain), (xTest, yTest)) = try FashionMNIST.load()
    XCTAssertEqual(xTrain.shape, [60000, 28, 28])
    XCTAssertEqual(yTrain.shape, [60000])
    XCTAssertEqual(xTest.shape, [10000, 28, 28])
    XCTAssertEqual(yTest.shape, [10000])
    // Published facts about the data set: the first labels, and 1000 test images per class.
    XCTAssertEqual(Array(yTrain.scalars.prefix(6)), [9, 0, 0, 3, 0, 2])
    XCTAssertEqual(Array(yTest.scalars.prefix(6)), [9, 2, 1, 1, 6, 1])
    var perClass = [Int](repeating: 0, count: 10)
    for label in yTest.scalars { perClass[Int(label)] += 1 }
    XCTAssertEqual(perClass, [Int](repeating: 1000, count: 10))
    XCTAssertTrue(yTrain.scalars.allSatisfy { (0...9).contains($0) && $0 == $0.rounded() })
    let pixels = xTrain.withUnsafeBufferPointer { buffer -> (Float, Float) in
      var (low, high) = (Float.infinity, -Float.infinity)
      for v in buffer {
        low = Swift.min(low, v)
        high = Swift.max(high, v)
      }
      return (low, high)
    }
    XCTAssertEqual(pixels.0, 0)
    XCTAssertEqual(pixels.1, 255)
  }
}
