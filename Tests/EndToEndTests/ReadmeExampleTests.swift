import Foundation
import SwiftKeras
import TestSupport
import XCTest

/// The README's examples, kept compiling and correct.
final class ReadmeExampleTests: XCTestCase {
  /// "A first model", on a slice of Fashion-MNIST (the full run is `make demo`).
  func testFirstModelOnASliceOfFashionMNIST() throws {
    setRandomSeed(42)
    let train = try FashionMNIST.dataset(.train).take(6000).shuffle().batch(32).map { x, y in
      (x / 255, y)
    }.prefetch(2)
    let test = try FashionMNIST.dataset(.test).take(2000).batch(256).map { x, y in (x / 255, y) }

    let model = try Sequential([
      Input(shape: [28, 28]),
      Flatten(),
      Dense(128, activation: .relu),
      Dropout(0.2),
      Dense(10, activation: .softmax),
    ])
    XCTAssertTrue(model.summaryText().contains("Total params: 101,770 (397.54 KB)"))
    try model.compile(
      optimizer: "adam", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"])
    let history = try model.fit(train, epochs: 2, verbose: 0, validationData: test)
    let scores = try model.evaluate(test, verbose: 0)
    XCTAssertEqual(history["val_accuracy"].count, 2)
    XCTAssertLessThan(history["loss"][1], history["loss"][0])
    // 6,000 images and 2 epochs land near 0.80 in Keras; a broken step stays near 0.1.
    XCTAssertGreaterThan(scores["accuracy"] ?? 0, 0.75)

    // FashionMNIST.load() still gives the same data as tensors.
    let ((xAll, yAll), _) = try FashionMNIST.load(scaled: true)
    let (xTrain, yTrain) = (xAll[rows: 0..<6000], yAll[rows: 0..<6000])
    let fromTensors = try model.evaluate(
      x: xTrain[rows: 0..<512], y: yTrain[rows: 0..<512], verbose: 0)
    let fromDataset = try model.evaluate(
      FashionMNIST.dataset(.train).take(512).batch(32).map { x, y in (x / 255, y) }, verbose: 0)
    XCTAssertEqual(fromTensors["loss"] ?? 0, fromDataset["loss"] ?? 1, accuracy: 1e-6)

    // The custom loop of the README.
    let optimizer = try makeOptimizer("sgd")
    let lossFunction = try makeLoss("sparse_categorical_crossentropy")
    let before = try lossFunction(
      yTrue: yTrain[rows: 0..<32], yPred: model(xTrain[rows: 0..<32]), sampleWeight: nil
    ).scalar
    for _ in 0..<20 {
      let tape = GradientTape()
      let batchLoss = try tape.record {
        lossFunction(
          yTrue: yTrain[rows: 0..<32], yPred: try model(xTrain[rows: 0..<32], training: true),
          sampleWeight: nil)
      }
      try optimizer.apply(
        gradients: tape.gradient(of: batchLoss, wrt: model.trainableWeights),
        to: model.trainableWeights)
    }
    let after = try lossFunction(
      yTrue: yTrain[rows: 0..<32], yPred: model(xTrain[rows: 0..<32]), sampleWeight: nil
    ).scalar
    XCTAssertLessThan(after, before)
  }

  /// "Your own data": an image folder, a CSV table and a tensor pipeline, on small files
  /// the test writes.
  func testYourOwnData() throws {
    let root = try makeTemporaryDirectory("readme-own-data")
    defer { try? FileManager.default.removeItem(at: root) }
    let photos = root.appendingPathComponent("photos")
    try FileManager.default.copyItem(at: fixtureURL("pipeline/images"), to: photos)
    let csvPath = root.appendingPathComponent("breast_cancer.csv").path
    let rows = (0..<40).map { i in "\(Float(i % 7) / 7),\(Float(i % 3)),\(i % 7 > 3 ? 1 : 0)" }
    try ("radius,texture,target\n" + rows.joined(separator: "\n") + "\n").write(
      toFile: csvPath, atomically: true, encoding: .utf8)
    let cwd = FileManager.default.currentDirectoryPath
    FileManager.default.changeCurrentDirectoryPath(root.path)
    defer { FileManager.default.changeCurrentDirectoryPath(cwd) }
    setRandomSeed(1)
    let ((xAll, yAll), (xTestAll, yTestAll)) = try FashionMNIST.load()
    let (xTrain, yTrain) = (xAll[rows: 0..<512], yAll[rows: 0..<512])
    let test = Dataset(x: xTestAll[rows: 0..<256], y: yTestAll[rows: 0..<256]).batch(256).map {
      x, y in (x / 255, y)
    }
    let model = try Sequential([
      Input(shape: [28, 28]), Flatten(), Dense(16, activation: .relu),
      Dense(10, activation: .softmax),
    ])
    try model.compile(
      optimizer: "adam", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"])

    // The README's four lines.
    let train = try imageDatasetFromDirectory(
      "photos/", imageSize: [64, 64], batchSize: 32,
      validationSplit: 0.2, subset: .training, seed: 1)
    let table = try Dataset.csv("breast_cancer.csv", label: "target").shuffle(seed: 1).batch(32)
    let pipeline = Dataset(x: xTrain, y: yTrain).shuffle(bufferSize: 10_000).batch(32).map { x, y in
      (x / 255, y)
    }.prefetch(2)
    let history = try model.fit(pipeline, epochs: 5, verbose: 0, validationData: test)

    XCTAssertEqual(train.classNames, ["Zebra", "ant", "bee"])
    XCTAssertEqual(try train.elements()[0].x[0].shape, [9, 64, 64, 3])
    XCTAssertEqual(try table.elements().map { $0.x[0].shape }, [[32, 2], [8, 2]])
    XCTAssertEqual(history["val_accuracy"].count, 5)
    XCTAssertLessThan(history["loss"][4], history["loss"][0])
  }

  /// "Tensors and autodiff", with values worked by hand.
  func testTensorsAndAutodiff() {
    let x = Tensor([[1, 2], [3, 4]])
    let y = x * 2 + Tensor([10, 20])
    XCTAssertEqual(y.scalars, [12, 24, 16, 28])
    XCTAssertEqual(matmul(x, y).scalars, [44, 80, 100, 184])

    let tape = GradientTape()
    let w = tape.watch(Tensor([[0.5], [-1]]))
    let loss = tape.record { square(matmul(x, w)).sum() }
    let dw = tape.gradient(of: loss, wrt: w)!
    XCTAssertEqual(loss.scalar, 8.5, accuracy: 1e-6)
    XCTAssertEqual(dw.scalars, [-18, -26])

    let xs = Tensor(shape: [4, 1], scalars: [0, 1, 2, 3])
    let ys = 3 * xs + 1
    let kernel = Variable(Tensor([[0]]), name: "kernel")
    let bias = Variable(Tensor([0]), name: "bias")
    for _ in 0..<200 {
      let tape = GradientTape()
      let loss = tape.record { square(matmul(xs, kernel.value) + bias.value - ys).sum() }
      let grads = tape.gradient(of: loss, wrt: [kernel, bias])
      kernel.value = kernel.value - 0.05 * grads[0]!
      bias.value = bias.value - 0.05 * grads[1]!
    }
    XCTAssertEqual(kernel.value.scalar, 3, accuracy: 1e-4)
    XCTAssertEqual(bias.value.scalar, 1, accuracy: 1e-4)
  }
}
