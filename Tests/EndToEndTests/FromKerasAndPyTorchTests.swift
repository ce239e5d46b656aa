import SwiftKeras
import TestSupport
import XCTest

/// Docs/FromKerasAndPyTorch.md, "The PyTorch nn.Module loop".
final class Net: Model {
  let hidden = Dense(64, activation: "relu")  // found without registration
  let out = Dense(3)

  override func call(_ x: Tensor, training: Bool) throws -> Tensor {
    try out(hidden(x, training: training))
  }
}

/// Runs the Swift snippets of Docs/FromKerasAndPyTorch.md on a small random problem.
final class FromKerasAndPyTorchTests: XCTestCase {
  private let x = Tensor.randomNormal(shape: [64, 20])
  private let y = Tensor((0..<64).map { Float($0 % 3) })

  func testSequentialMLP() throws {
    let model = try Sequential([
      Dense(64, activation: "relu", inputShape: [20]),
      Dropout(0.2),
      Dense(3, activation: "softmax"),
    ])
    try model.compile(
      optimizer: "adam", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"])
    let history = try model.fit(
      x: x, y: y, batchSize: 32, epochs: 5, verbose: 0, validationSplit: 0.2)
    let scores = try model.evaluate(x: x, y: y, verbose: 0)
    XCTAssertEqual(Array(scores.keys), ["accuracy", "loss"])
    XCTAssertEqual(history["val_loss"].count, 5)
  }

  func testGradientTapeLoop() throws {
    let logits = try Sequential([Input(shape: [20]), Dense(3)])
    let before = logits.getWeights()[0].scalars
    let optimizer = try Adam(learningRate: 1e-3)
    let lossFunction = SparseCategoricalCrossentropy(fromLogits: true)
    var batches = try EpochIterator(
      data: TrainingBatch(x: [x], y: [y]), batchSize: 32, shuffle: true, seed: 1)
    batches.beginEpoch(0)
    for _ in 0..<batches.stepsPerEpoch {
      let batch = try batches.next()
      let tape = GradientTape()
      let loss = try tape.record {
        lossFunction(
          yTrue: batch.y[0], yPred: try logits(batch.x[0], training: true), sampleWeight: nil)
      }
      let gradients = tape.gradient(of: loss, wrt: logits.trainableWeights)
      try optimizer.apply(gradients: gradients, to: logits.trainableWeights)
    }
    XCTAssertNotEqual(logits.getWeights()[0].scalars, before)
  }

  func testDataPipeline() throws {
    let model = try Sequential([Input(shape: [20]), Dense(3, activation: "softmax")])
    try model.compile(optimizer: "adam", loss: "sparse_categorical_crossentropy")
    let batches = Dataset(x: x, y: y).shuffle(bufferSize: 10_000).batch(32).prefetch(2)
    let history = try model.fit(batches, epochs: 5, verbose: 0)
    XCTAssertEqual(history["loss"].count, 5)
    let iterator = try batches.makeIterator(seed: 1, pass: 0)
    var seen: [Float] = []
    while let batch = try iterator.next() {
      let (xBatch, yBatch) = (try batch.x[0].tensor(), try batch.y[0].tensor())
      XCTAssertEqual(xBatch.shape, [32, 20])
      seen += yBatch.scalars
    }
    XCTAssertEqual(seen.sorted(), y.scalars.sorted())
  }

  func testModuleLoop() throws {
    let net = Net()
    try net.compile(
      optimizer: .adam(learningRate: 1e-3), loss: SparseCategoricalCrossentropy(fromLogits: true))
    let history = try net.fit(x: x, y: y, batchSize: 32, epochs: 5, verbose: 0)
    XCTAssertEqual(net.trainableWeights.count, 4)
    XCTAssertLessThan(history["loss"][4], history["loss"][0])
  }
}
