import Foundation
import SwiftKeras
import TestSupport
import XCTest

/// The README's examples, kept compiling and correct.
final class ReadmeExampleTests: XCTestCase {
  /// "A first model", on a slice of Fashion-MNIST (the full run is `make demo`).
  func testFirstModelOnASliceOfFashionMNIST() throws {
    setRandomSeed(42)
    let ((xAll, yAll), (xTestAll, yTestAll)) = try FashionMNIST.load(scaled: true)
    let (xTrain, yTrain) = (xAll[rows: 0..<6000], yAll[rows: 0..<6000])
    let (xTest, yTest) = (xTestAll[rows: 0..<2000], yTestAll[rows: 0..<2000])

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
    let history = try model.fit(
      x: xTrain, y: yTrain, batchSize: 32, epochs: 2, verbose: 0, validationSplit: 0.1)
    let scores = try model.evaluate(x: xTest, y: yTest, verbose: 0)
    XCTAssertEqual(history["val_accuracy"].count, 2)
    XCTAssertLessThan(history["loss"][1], history["loss"][0])
    // 6,000 images and 2 epochs land near 0.80 in Keras; a broken step stays near 0.1.
    XCTAssertGreaterThan(scores["accuracy"] ?? 0, 0.75)

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
