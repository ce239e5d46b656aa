import Foundation
import SwiftKeras
import TestSupport
import XCTest

/// The end-to-end examples of Docs/Datasets.md, each run on small data the test writes
/// itself: a folder of images, a CSV table, a folder of text files, and MNIST-style IDX
/// files. The code between the writing of the files and the assertions is the code the
/// guide shows.
final class DatasetsGuideTests: XCTestCase {
  /// `photos/dark/*.png` and `photos/light/*.png`: 16×16 grey images, dark or light with
  /// a little seeded noise, 24 of each.
  private func writePhotos(in root: URL) throws -> String {
    var generator = RandomGenerator(seed: 4)
    for (label, base) in [("dark", 40), ("light", 200)] {
      let folder = root.appendingPathComponent("photos/\(label)")
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      for i in 0..<24 {
        let noise = Tensor.randomUniform(
          shape: [256], minval: -30, maxval: 30, generator: &generator)
        let pixels = noise.scalars.map { UInt8(Float(base) + $0) }
        try Data(FashionMNISTFolderTests.png(width: 16, height: 16, pixels: pixels)).write(
          to: folder.appendingPathComponent("\(label)-\(i).png"))
      }
    }
    return root.appendingPathComponent("photos").path
  }

  /// Example 1: a folder of images, split into training and validation as Keras does.
  func testImageFolderExample() throws {
    let root = try makeTemporaryDirectory(self)
    let photos = try writePhotos(in: root)
    setRandomSeed(1)

    let train = try imageDatasetFromDirectory(
      photos, imageSize: [16, 16], batchSize: 8, validationSplit: 0.25, subset: .training,
      seed: 1)
    let validation = try imageDatasetFromDirectory(
      photos, imageSize: [16, 16], batchSize: 8, validationSplit: 0.25, subset: .validation,
      seed: 1)
    print(train.classNames ?? [])  // ["dark", "light"]

    let model = try Sequential([
      Input(shape: [16, 16, 3]),
      Rescaling(1.0 / 255),
      Conv2D(8, kernelSize: 3, activation: .relu),
      MaxPooling2D(2),
      Flatten(),
      Dense(2, activation: .softmax),
    ])
    try model.compile(
      optimizer: "adam", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"])
    try model.fit(train.prefetch(2), epochs: 8, verbose: 0, validationData: validation)
    let scores = try model.evaluate(validation, verbose: 0)

    XCTAssertEqual(train.classNames, ["dark", "light"])
    XCTAssertEqual(train.count, 5)  // 36 images in batches of 8
    XCTAssertEqual(validation.count, 2)  // 12 images
    let batch = try XCTUnwrap(try validation.elements().first)
    XCTAssertEqual(batch.x[0].shape, [8, 16, 16, 3])
    XCTAssertEqual(scores["accuracy"], 1)
  }

  /// Example 2: a CSV table with a string column and a string label.
  func testCSVTableExample() throws {
    let root = try makeTemporaryDirectory(self)
    let path = root.appendingPathComponent("tumours.csv").path
    var lines = ["radius,texture,shape,diagnosis"]
    for i in 0..<120 {
      let radius = 1 + Double(i % 40) / 10  // 1.0 ... 4.9
      let texture = Double((i * 7) % 10) / 10
      let shape = i % 3 == 0 ? "irregular" : "round"
      lines.append("\(radius),\(texture),\(shape),\(radius > 3 ? "malignant" : "benign")")
    }
    try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
    setRandomSeed(2)

    let table = try Dataset.csv(path, label: "diagnosis")
    print(table.classNames ?? [])  // ["benign", "malignant"]: the label's sorted values
    // The label column is [batch]; the sigmoid output is [batch, 1].
    func column(_ x: Tensor, _ y: Tensor) -> (Tensor, Tensor) { (x, y.reshaped(to: [-1, 1])) }
    let validation = table.take(24).batch(24).map(column)
    let train = table.skip(24).shuffle(seed: 1).batch(16).map(column)

    let model = try Sequential([
      Input(shape: [3]),  // radius, texture, shape (0 irregular, 1 round)
      Dense(16, activation: .relu),
      Dense(1, activation: .sigmoid),
    ])
    try model.compile(
      optimizer: try .adam(learningRate: 0.02), loss: "binary_crossentropy",
      metrics: ["accuracy"])
    try model.fit(train, epochs: 60, verbose: 0)
    let scores = try model.evaluate(validation, verbose: 0)

    XCTAssertEqual(table.classNames, ["benign", "malignant"])
    XCTAssertEqual(table.count, 120)
    let first = try XCTUnwrap(try table.batch(2).elements().first)
    XCTAssertEqual(try first.x[0].tensor().scalars, [1, 0, 0, 1.1, 0.7, 1])
    XCTAssertGreaterThanOrEqual(scores["accuracy"] ?? 0, 0.9)
  }

  /// `reviews/neg/*.txt` and `reviews/pos/*.txt`: short texts built from a few words.
  private func writeReviews(in root: URL) throws -> String {
    let positive = ["great", "loved", "fun", "superb", "wonderful"]
    let negative = ["bad", "dull", "boring", "awful", "poor"]
    let filler = ["the", "film", "was", "plot", "acting", "really"]
    for (label, words) in [("neg", negative), ("pos", positive)] {
      let folder = root.appendingPathComponent("reviews/\(label)")
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      for i in 0..<20 {
        let text = [filler[i % 6], words[i % 5], filler[(i + 2) % 6], words[(i + 3) % 5]]
          .joined(separator: " ")
        try text.write(
          to: folder.appendingPathComponent("\(i).txt"), atomically: true, encoding: .utf8)
      }
    }
    return root.appendingPathComponent("reviews").path
  }

  /// Example 3: a folder of text files, turned into multi-hot word rows by a map.
  func testTextFolderExample() throws {
    let root = try makeTemporaryDirectory(self)
    let reviews = try writeReviews(in: root)
    setRandomSeed(3)

    let train = try textDatasetFromDirectory(
      reviews, labelMode: .binary, batchSize: 8, validationSplit: 0.25, subset: .training,
      seed: 1)
    let validation = try textDatasetFromDirectory(
      reviews, labelMode: .binary, batchSize: 8, validationSplit: 0.25, subset: .validation,
      seed: 1)

    // A vocabulary of the training texts' words, then each batch of strings as a
    // [batch, words] tensor of multi-hot rows.
    var vocabulary: [String: Int] = [:]
    for batch in try train.elements() {
      for text in batch.x[0].strings ?? [] {
        for word in text.lowercased().split(separator: " ") where vocabulary[String(word)] == nil {
          vocabulary[String(word)] = vocabulary.count
        }
      }
    }
    let vocabularySize = vocabulary.count
    func multiHot(_ element: DatasetElement) throws -> DatasetElement {
      let texts = element.x[0].strings ?? []
      var rows = [Float](repeating: 0, count: texts.count * vocabularySize)
      for (i, text) in texts.enumerated() {
        for word in text.lowercased().split(separator: " ") {
          if let index = vocabulary[String(word)] { rows[i * vocabularySize + index] = 1 }
        }
      }
      let x = Tensor(shape: [texts.count, vocabularySize], values: rows)
      return DatasetElement(x: [DataArray(x)], y: element.y)
    }

    let model = try Sequential([
      Input(shape: [vocabularySize]),
      Dense(8, activation: .relu),
      Dense(1, activation: .sigmoid),
    ])
    try model.compile(optimizer: "adam", loss: "binary_crossentropy", metrics: ["accuracy"])
    try model.fit(
      train.map(multiHot), epochs: 30, verbose: 0, validationData: validation.map(multiHot))
    let scores = try model.evaluate(validation.map(multiHot), verbose: 0)

    XCTAssertEqual(train.classNames, ["neg", "pos"])
    XCTAssertEqual(train.count, 4)  // 30 texts
    XCTAssertEqual(vocabularySize, 16)
    XCTAssertEqual(scores["accuracy"], 1)
  }

  /// IDX files (MNIST's format) as Dataset sources: the pixels stay bytes until batched.
  func testIDXFilesAsDatasetSources() throws {
    let root = try makeTemporaryDirectory(self)
    // 40 images of 28×28: label 1 has a bright left half, label 0 a bright right half.
    var pixels: [UInt8] = []
    var labels: [UInt8] = []
    for i in 0..<40 {
      let label = UInt8(i % 2)
      labels.append(label)
      for _ in 0..<28 {
        for column in 0..<28 { pixels.append((column < 14) == (label == 1) ? 220 : 10) }
      }
    }
    try IDXFile.write(
      try IDXArray(shape: [40, 28, 28], values: pixels),
      to: root.appendingPathComponent("t10k-images-idx3-ubyte"))
    try IDXFile.write(
      try IDXArray(shape: [40], values: labels),
      to: root.appendingPathComponent("t10k-labels-idx1-ubyte"), compressed: true)
    setRandomSeed(4)

    let test = try MNIST.dataset(.test, directory: root.path)
    let same = try IDXFile.dataset(
      images: root.appendingPathComponent("t10k-images-idx3-ubyte").path,
      labels: root.appendingPathComponent("t10k-labels-idx1-ubyte").path)
    let batches = test.shuffle(seed: 1).batch(8).map { x, y in (x / 255, y) }

    let model = try Sequential([
      Input(shape: [28, 28]), Flatten(), Dense(10, activation: .softmax),
    ])
    try model.compile(
      optimizer: "adam", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"])
    try model.fit(batches, epochs: 5, verbose: 0)
    let scores = try model.evaluate(test.batch(40).map { x, y in (x / 255, y) }, verbose: 0)

    XCTAssertEqual(test.count, 40)
    XCTAssertEqual(test.classNames, MNIST.classNames)
    let first = try XCTUnwrap(try test.take(1).elements().first)
    guard case .bytes = first.x[0].storage else { return XCTFail("pixels should stay bytes") }
    XCTAssertEqual(
      try same.batch(40).elements()[0].x[0].tensor().scalars,
      try test.batch(40).elements()[0].x[0].tensor().scalars)
    XCTAssertEqual(scores["accuracy"], 1)
  }
}
