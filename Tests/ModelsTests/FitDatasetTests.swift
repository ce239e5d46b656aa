import Foundation
import SwiftKeras
import TestSupport
import XCTest

/// fit, evaluate and predict on a Dataset and a PyDataset, checked against the same
/// training on tensors.
final class FitDatasetTests: XCTestCase {
  func makeModel() throws -> Sequential {
    setRandomSeed(5)
    let model = try Sequential([
      Input(shape: [3]), Dense(6, activation: .tanh), Dense(2, activation: .softmax),
    ])
    try model.compile(
      optimizer: try Adam(learningRate: 0.02), loss: "sparse_categorical_crossentropy",
      metrics: ["accuracy"])
    return model
  }

  func data(_ n: Int = 40) -> (Tensor, Tensor) {
    var rng = RandomGenerator(seed: 21)
    let x = Tensor(shape: [n, 3], scalars: (0..<(3 * n)).map { _ in rng.nextUniform() * 2 - 1 })
    let y = Tensor(shape: [n], scalars: (0..<n).map { x.scalars[3 * $0] > 0 ? 1 : 0 })
    return (x, y)
  }

  func testUnshuffledDatasetTrainsExactlyAsTensors() throws {
    let (x, y) = data()
    let reference = try makeModel()
    let referenceHistory = try reference.fit(
      x: x, y: y, batchSize: 8, epochs: 3, verbose: 0, shuffle: false)
    let model = try makeModel()
    let history = try model.fit(Dataset(x: x, y: y).batch(8).prefetch(2), epochs: 3, verbose: 0)
    XCTAssertEqual(history["loss"], referenceHistory["loss"])
    for (a, b) in zip(model.getWeights(), reference.getWeights()) {
      XCTAssertEqual(a.scalars, b.scalars)
    }
    XCTAssertEqual(model.optimizer?.iterations, 15)
  }

  func testShuffledPipelineIsDeterministicGivenTheGlobalSeed() throws {
    let (x, y) = data()
    func run() throws -> [Float] {
      let model = try makeModel()
      setRandomSeed(77)
      try model.fit(
        Dataset(x: x, y: y).shuffle().batch(8).map { x, y in (x * 2, y) }.prefetch(2), epochs: 2,
        verbose: 0)
      return model.getWeights()[0].scalars
    }
    XCTAssertEqual(try run(), try run())
  }

  func testLargeProductsStayBitIdenticalWhateverTheWorkersTiming() throws {
    // 128 × 512 · 512 × 512 is above OpenBLAS's threading threshold: its thread count, and
    // so its rounding, must not follow the prefetch worker's timing.
    var rng = RandomGenerator(seed: 9)
    let x = Tensor(shape: [512, 512], scalars: (0..<(512 * 512)).map { _ in rng.nextUniform() })
    let y = Tensor(shape: [512], scalars: (0..<512).map { Float($0 % 4) })
    func run() throws -> [Float] {
      setRandomSeed(4)
      let model = try Sequential([
        Input(shape: [512]), Dense(512, activation: .relu), Dense(4, activation: .softmax),
      ])
      try model.compile(optimizer: "adam", loss: "sparse_categorical_crossentropy")
      let pipeline = Dataset(x: x, y: y).shuffle().batch(128).map { x, y in
        usleep(UInt32.random(in: 0..<3000))
        return (x, y)
      }.prefetch(2)
      XCTAssertEqual(pipeline.workerThreads, 1)
      try model.fit(pipeline, epochs: 2, verbose: 0)
      return model.getWeights()[0].scalars
    }
    let first = try run()
    XCTAssertEqual(try run(), first)
    XCTAssertEqual(try run(), first)
  }

  func testValidationDatasetEvaluateAndPredict() throws {
    let (x, y) = data()
    let model = try makeModel()
    let test = Dataset(x: x[rows: 30..<40], y: y[rows: 30..<40]).batch(4)
    let history = try model.fit(
      Dataset(x: x[rows: 0..<30], y: y[rows: 0..<30]).batch(8), epochs: 2, verbose: 0,
      validationData: test)
    XCTAssertEqual(history["val_loss"].count, 2)
    let scores = try model.evaluate(test, verbose: 0)
    let tensorScores = try model.evaluate(
      x: x[rows: 30..<40], y: y[rows: 30..<40], batchSize: 4, verbose: 0)
    XCTAssertEqual(scores["loss"] ?? .nan, tensorScores["loss"] ?? 0, accuracy: 1e-6)
    XCTAssertEqual(history["val_loss"].last ?? .nan, scores["loss"] ?? 0, accuracy: 1e-6)
    let predictions = try model.predict(test)
    XCTAssertEqual(predictions.shape, [10, 2])
    XCTAssertEqual(predictions.scalars, try model.predict(x: x[rows: 30..<40]).scalars)
  }

  func testEndlessStreamNeedsStepsPerEpochAndRunsOnAcrossEpochs() throws {
    let (x, y) = data(12)
    let model = try makeModel()
    let endless = Dataset(x: x, y: y).batch(4).repeat()
    XCTAssertThrowsError(try model.fit(endless, epochs: 1, verbose: 0)) { error in
      XCTAssertTrue("\(error)".contains("stepsPerEpoch"), "\(error)")
    }
    let history = try model.fit(endless, epochs: 3, verbose: 0, stepsPerEpoch: 5)
    XCTAssertEqual(history.epoch, [0, 1, 2])
    XCTAssertEqual(model.optimizer?.iterations, 15)
    // A finite dataset shorter than stepsPerEpoch × epochs stops training, as Keras.
    let short = try makeModel()
    var warnings: [String] = []
    short.warn = { warnings.append($0) }
    let stopped = try short.fit(
      Dataset(x: x, y: y).batch(4), epochs: 3, verbose: 0, stepsPerEpoch: 2)
    XCTAssertEqual(stopped.epoch, [0, 1])
    XCTAssertEqual(short.optimizer?.iterations, 3)
    XCTAssertTrue(warnings.contains { $0.contains("ran out") })
  }

  func testBadInputThrowsBeforeOrAtTheBatch() throws {
    let (x, y) = data()
    let model = try makeModel()
    XCTAssertThrowsError(try model.fit(Dataset(x: x, y: y), verbose: 0)) { error in
      XCTAssertTrue("\(error)".contains(".batch("), "\(error)")
    }
    // A label out of range in the third batch throws at that batch, naming the output.
    var labels = y.scalars
    labels[20] = 7
    let bad = Dataset(x: x, y: Tensor(shape: [40], scalars: labels)).batch(8)
    XCTAssertThrowsError(try model.fit(bad, epochs: 1, verbose: 0)) { error in
      XCTAssertTrue("\(error)".contains("7"), "\(error)")
    }
    XCTAssertThrowsError(try model.fit(Dataset(x: x, y: y).take(0).batch(4), verbose: 0)) {
      XCTAssertTrue("\($0)".contains("no batches"), "\($0)")
    }
  }

  func testPyDatasetTrainsAndHearsEachEpochEnd() throws {
    let (x, y) = data()
    let source = Batches(x: x, y: y)
    let model = try makeModel()
    let history = try model.fit(source, epochs: 3, verbose: 0)
    XCTAssertEqual(history.epoch, [0, 1, 2])
    XCTAssertEqual(source.epochsEnded, 3)
    XCTAssertEqual(model.optimizer?.iterations, 15)
    XCTAssertEqual(try model.predict(source).shape, [40, 2])
    XCTAssertNotNil(try model.evaluate(source, verbose: 0)["accuracy"])
  }

  func testSampleWeightsTravelWithTheirRows() throws {
    let (x, y) = data()
    let model = try makeModel()
    let before = model.getWeights().map(\.scalars)
    // Every weight zero: no gradient, so Adam leaves the weights as they were.
    let zero = Dataset(x: x, y: y, sampleWeight: Tensor.zeros([40])).shuffle().batch(8)
    try model.fit(zero, epochs: 2, verbose: 0)
    XCTAssertEqual(model.getWeights().map(\.scalars), before)
    XCTAssertEqual(model.optimizer?.iterations, 10)
    // Weight one on half the rows trains only on them: the same as those rows alone.
    var half = [Float](repeating: 0, count: 40)
    for i in 0..<20 { half[i] = 1 }
    let weighted = try makeModel()
    let history = try weighted.fit(
      Dataset(x: x, y: y, sampleWeight: Tensor(half)).batch(40), epochs: 1, verbose: 0)
    XCTAssertEqual(history["loss"].count, 1)
    let alone = try makeModel()
    try alone.fit(
      Dataset(
        x: x[rows: 0..<20], y: y[rows: 0..<20], sampleWeight: Tensor(repeating: 0.5, shape: [20])
      )
      .batch(20), epochs: 1, verbose: 0)
    // One step each, on the same loss: Keras divides the weighted sum by the batch size, so
    // 20 rows of weight 1 among 40 give the loss of those 20 rows with weight 0.5.
    for (a, b) in zip(weighted.getWeights(), alone.getWeights()) {
      for (u, v) in zip(a.scalars, b.scalars) { XCTAssertEqual(u, v, accuracy: 1e-5) }
    }
  }

  func testClassWeightScalesEachBatch() throws {
    let (x, y) = data()
    let plain = try makeModel()
    let heavy = try makeModel()
    let pipeline = Dataset(x: x, y: y).batch(8)
    let a = try plain.fit(pipeline, epochs: 1, verbose: 0)
    let b = try heavy.fit(pipeline, epochs: 1, verbose: 0, classWeight: [0: 3, 1: 3])
    // Tripling every weight triples the first batch's loss.
    XCTAssertGreaterThan(b["loss"][0], 2 * a["loss"][0])
  }
}

/// Five batches of eight rows; counts its epoch ends.
final class Batches: PyDataset, @unchecked Sendable {
  let x: Tensor
  let y: Tensor
  var epochsEnded = 0
  init(x: Tensor, y: Tensor) {
    self.x = x
    self.y = y
  }
  var batchCount: Int { 5 }
  subscript(index: Int) -> DatasetElement {
    get throws {
      let rows = (index * 8)..<(index * 8 + 8)
      return DatasetElement(x: [x[rows: rows]], y: [y[rows: rows]])
    }
  }
  func onEpochEnd() throws { epochsEnded += 1 }
}
