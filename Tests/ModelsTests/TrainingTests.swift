import SwiftKeras
import TestSupport
import XCTest

@testable import SwiftKerasCore
@testable import SwiftKerasLayers
@testable import SwiftKerasModels

/// A small, separable 3-class problem: the class is the index of the largest feature.
func makeBlobs(count: Int, features: Int = 4, seed: UInt64 = 1) -> (x: Tensor, y: Tensor) {
  var generator = RandomGenerator(seed: seed)
  let x = Tensor.randomNormal(shape: [count, features], generator: &generator)
  var labels: [Float] = []
  let values = x.scalars
  for i in 0..<count {
    let row = values[(i * features)..<(i * features + 3)]
    labels.append(Float(row.indices.max { row[$0] < row[$1] }! - i * features))
  }
  return (x, Tensor(shape: [count], scalars: labels))
}

func makeClassifier(features: Int = 4, name: String? = nil) throws -> Sequential {
  try Sequential(
    [Input(shape: [features]), Dense(16, activation: .relu), Dense(3, activation: .softmax)],
    name: name)
}

final class TrainingTests: XCTestCase {
  override func setUp() { setRandomSeed(42) }

  func testFitLearnsAndHistoryHasKerasKeys() throws {
    let (x, y) = makeBlobs(count: 256)
    let model = try makeClassifier()
    try model.compile(
      optimizer: try .adam(learningRate: 0.01), loss: "sparse_categorical_crossentropy",
      metrics: ["accuracy"])
    let history = try model.fit(
      x: x, y: y, batchSize: 32, epochs: 8, verbose: 0, validationSplit: 0.25)
    XCTAssertEqual(history.keys, ["accuracy", "loss", "val_accuracy", "val_loss"])
    XCTAssertEqual(history.epoch, Array(0..<8))
    XCTAssertLessThan(history["loss"].last!, history["loss"].first!)
    XCTAssertGreaterThan(history["accuracy"].last!, 0.8)
    XCTAssertTrue(model.history === history)
    let scores = try model.evaluate(x: x, y: y, verbose: 0)
    XCTAssertEqual(Set(scores.keys), ["loss", "accuracy"])
  }

  func testValidationSplitTakesTheLastFractionBeforeShuffling() throws {
    let (x, y) = makeBlobs(count: 100)
    let model = try makeClassifier()
    try model.compile(
      optimizer: "sgd", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"])
    let history = try model.fit(
      x: x, y: y, batchSize: 10, epochs: 1, verbose: 0, validationSplit: 0.2)
    // Validation ran with the final weights on samples 80..<100.
    let scores = try model.evaluate(x: x[rows: 80..<100], y: y[rows: 80..<100], verbose: 0)
    XCTAssertEqual(history["val_loss"][0], scores["loss"]!, accuracy: 1e-6)
    XCTAssertEqual(history["val_accuracy"][0], scores["accuracy"]!, accuracy: 1e-6)
  }

  func testBatchLogsAreRunningMeansEndingAtTheEpochValue() throws {
    final class Recorder: Callback {
      var batchLosses: [Float] = []
      var epochLoss: Float = .nan
      override func onTrainBatchEnd(_ batch: Int, logs: Logs) { batchLosses.append(logs["loss"]!) }
      override func onEpochEnd(_ epoch: Int, logs: Logs) { epochLoss = logs["loss"]! }
    }
    let (x, y) = makeBlobs(count: 64)
    let model = try makeClassifier()
    try model.compile(optimizer: "adam", loss: "sparse_categorical_crossentropy")
    let recorder = Recorder()
    try model.fit(x: x, y: y, batchSize: 16, epochs: 1, verbose: 0, callbacks: [recorder])
    XCTAssertEqual(recorder.batchLosses.count, 4)
    XCTAssertEqual(recorder.batchLosses.last!, recorder.epochLoss)
  }

  func testSeededRunsAreBitIdentical() throws {
    func run() throws -> (OrderedDictionary<String, [Float]>, [Float]) {
      setRandomSeed(7)
      let (x, y) = makeBlobs(count: 128)
      let model = try Sequential(
        [
          Input(shape: [4]), Dense(16, activation: .relu), Dropout(0.3),
          Dense(3, activation: .softmax),
        ])
      try model.compile(
        optimizer: "adam", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"])
      let history = try model.fit(
        x: x, y: y, batchSize: 16, epochs: 3, verbose: 0, validationSplit: 0.25)
      return (history.history, model.getWeights().flatMap { $0.scalars })
    }
    let first = try run()
    let second = try run()
    XCTAssertEqual(first.0, second.0)
    XCTAssertEqual(first.1, second.1)
  }

  func testPredictIsBatchedAndMatchesADirectCall() throws {
    let (x, _) = makeBlobs(count: 70)
    let model = try makeClassifier()
    let batched = try model.predict(x: x, batchSize: 32)
    let direct = try model(x)
    XCTAssertEqual(batched.shape, [70, 3])
    for (a, b) in zip(batched.scalars, direct.scalars) { XCTAssertEqual(a, b, accuracy: 1e-6) }
  }

  func testCustomTrainingLoopWithTapeAndOptimizer() throws {
    let (x, y) = makeBlobs(count: 64)
    let model = try makeClassifier()
    let optimizer = try makeOptimizer("sgd")
    let loss = try makeLoss("sparse_categorical_crossentropy")
    var first: Float = 0
    var last: Float = 0
    for step in 0..<30 {
      let tape = GradientTape()
      let value = try tape.record {
        loss(yTrue: y, yPred: try model(x, training: true), sampleWeight: nil)
      }
      try optimizer.apply(
        gradients: tape.gradient(of: value, wrt: model.trainableWeights), to: model.trainableWeights
      )
      if step == 0 { first = value.scalar }
      last = value.scalar
    }
    XCTAssertLessThan(last, first)
  }

  func testRegularizationLossIsAddedToTheLoggedLoss() throws {
    let model = try Sequential([
      Input(shape: [2]), Dense(1, kernelInitializer: Ones(), kernelRegularizer: L2(0.5)),
    ])
    try model.compile(optimizer: "sgd", loss: "mse")
    let x = Tensor([[1, 1]])
    let y = Tensor([[2]])
    // Prediction 2 matches the target: the loss is only 0.5 * (1² + 1²) = 1.
    let logs = try model.testOnBatch(x: x, y: y)
    XCTAssertEqual(logs["loss"]!, 1, accuracy: 1e-6)
  }

  func testTrainOnBatchUpdatesWeights() throws {
    let model = try makeClassifier()
    try model.compile(optimizer: "sgd", loss: "sparse_categorical_crossentropy")
    let (x, y) = makeBlobs(count: 8)
    let before = model.getWeights().flatMap { $0.scalars }
    let logs = try model.trainOnBatch(x: x, y: y)
    XCTAssertNotNil(logs["loss"])
    XCTAssertNotEqual(before, model.getWeights().flatMap { $0.scalars })
    XCTAssertEqual(try model.predictOnBatch(x: x).shape, [8, 3])
  }

  func testMultiInputMultiOutputWithNamedArrays() throws {
    let a = Input(shape: [3], name: "a")
    let b = Input(shape: [2], name: "b")
    let joined = try Concatenate()([a, b])
    let hidden = try Dense(8, activation: .relu)(joined)
    let cls = try Dense(3, activation: .softmax, name: "cls")(hidden)
    let reg = try Dense(1, name: "reg")(hidden)
    let model = try Model(inputs: [a, b], outputs: [cls, reg])
    try model.compile(
      optimizer: "adam", losses: ["cls": "sparse_categorical_crossentropy", "reg": "mse"],
      metrics: ["cls": ["accuracy"]], lossWeights: ["cls": 1, "reg": 0.5])
    var generator = RandomGenerator(seed: 3)
    let xa = Tensor.randomNormal(shape: [40, 3], generator: &generator)
    let xb = Tensor.randomNormal(shape: [40, 2], generator: &generator)
    let labels = Tensor(shape: [40], scalars: (0..<40).map { Float($0 % 3) })
    let target = Tensor.randomNormal(shape: [40, 1], generator: &generator)
    let history = try model.fit(
      x: ["a": xa, "b": xb], y: ["cls": labels, "reg": target], batchSize: 8, epochs: 2, verbose: 0)
    XCTAssertEqual(history.keys, ["cls_accuracy", "cls_loss", "loss", "reg_loss"])
    XCTAssertThrowsError(
      try model.fit(x: ["a": xa], y: ["cls": labels, "reg": target], verbose: 0)
    ) { error in
      XCTAssertTrue("\(error)".contains("missing input 'b'"), "\(error)")
    }
    XCTAssertThrowsError(try model.fit(x: ["a": xa, "b": xb], y: ["cls": labels], verbose: 0)) {
      error in
      XCTAssertTrue("\(error)".contains("reg"), "\(error)")
    }
  }

  func testNaNLossDoesNotCrash() throws {
    let model = try Sequential([Input(shape: [1]), Dense(1)])
    try model.compile(optimizer: "sgd", loss: "mse")
    let x = Tensor([[Float.nan], [1]])
    let history = try model.fit(x: x, y: Tensor([[1], [1]]), epochs: 1, verbose: 0)
    XCTAssertTrue(history["loss"][0].isNaN)
  }
}

final class TrainingValidationTests: XCTestCase {
  func assertThrowsBeforeAnyStep(
    _ model: Model, _ message: String, file: StaticString = #filePath, line: UInt = #line,
    _ body: () throws -> Void
  ) {
    let before = model.getWeights().flatMap { $0.scalars }
    XCTAssertThrowsError(try body(), file: file, line: line) { error in
      XCTAssertTrue("\(error)".contains(message), "\(error)", file: file, line: line)
    }
    XCTAssertEqual(
      before, model.getWeights().flatMap { $0.scalars }, "weights changed", file: file, line: line)
  }

  func testBadInputThrowsBeforeAnyStep() throws {
    let (x, y) = makeBlobs(count: 20)
    let model = try makeClassifier()
    assertThrowsBeforeAnyStep(model, "compile") { try model.fit(x: x, y: y, verbose: 0) }
    try model.compile(
      optimizer: "adam", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"])
    assertThrowsBeforeAnyStep(model, "19") { try model.fit(x: x, y: y[rows: 0..<19], verbose: 0) }
    var bad = y
    bad[19] = 3
    assertThrowsBeforeAnyStep(model, "3") { try model.fit(x: x, y: bad, verbose: 0) }
    assertThrowsBeforeAnyStep(model, "(None, 4)") {
      try model.fit(x: Tensor.zeros([20, 5]), y: y, verbose: 0)
    }
    assertThrowsBeforeAnyStep(model, "validationSplit") {
      try model.fit(x: x, y: y, verbose: 0, validationSplit: 1)
    }
    assertThrowsBeforeAnyStep(model, "batchSize") {
      try model.fit(x: x, y: y, batchSize: 0, verbose: 0)
    }
    assertThrowsBeforeAnyStep(model, "batchSize") {
      _ = try model.evaluate(x: x, y: y, batchSize: -1, verbose: 0)
    }
  }

  func testUnknownIdentifierThrowsAtCompileListingValidOnes() throws {
    let model = try makeClassifier()
    let cases: [(String, () throws -> Void)] = [
      ("adam", { try model.compile(optimizer: "adamm", loss: "sparse_categorical_crossentropy") }),
      (
        "mean_squared_error",
        { try model.compile(optimizer: "adam", loss: "sparse_categorical_crossentropyy") }
      ),
      ("accuracy", { try model.compile(optimizer: "adam", loss: "mse", metrics: ["acuracy"]) }),
    ]
    for (listed, compile) in cases {
      XCTAssertThrowsError(try compile()) { error in
        XCTAssertEqual((error as? SwiftKerasError)?.kind, .unknownIdentifier, "\(error)")
        XCTAssertTrue("\(error)".contains(listed), "\(error)")
      }
      XCTAssertFalse(model.isCompiled)
    }
  }
}

final class ProgressOutputTests: XCTestCase {
  func testVerboseOneOffTerminalWritesOneCleanLinePerEpoch() throws {
    var text = ""
    let bar = Progbar(
      target: 4, verbose: 1, unitName: "step", averaging: false, dynamicDisplay: false,
      unicode: true, write: { text += $0 }, clock: { 0 })
    for step in 1...4 { bar.update(step, values: [("accuracy", 0.5), ("loss", 0.25)]) }
    XCTAssertEqual(text, "4/4 ━━━━━━━━━━━━━━━━━━━━ 0s 0s/step - accuracy: 0.5000 - loss: 0.2500\n")
    XCTAssertFalse(text.contains("\r") || text.contains("\u{8}"))
  }

  func testLiveBarShowsProgressAndETA() throws {
    var text = ""
    var now = 0.0
    let bar = Progbar(
      target: 10, verbose: 1, averaging: false, dynamicDisplay: true, unicode: true,
      write: { text = $0 }, clock: { now })
    now = 1
    bar.update(1, values: [("loss", 2)])
    now = 3
    bar.update(5, values: [("loss", 1)])
    // 4 steps in 2 s after the first: 0.5 s/step, 5 steps left → ETA 2 s (Keras ignores step 1).
    XCTAssertEqual(text, "\r 5/10 ━━━━━━━━━━━━━━━━━━━━ 2s 500ms/step - loss: 1.0000")
  }

  func testASCIIFallbackAndVerboseTwo() throws {
    var text = ""
    let ascii = Progbar(
      target: 2, verbose: 1, averaging: false, dynamicDisplay: false, unicode: false,
      write: { text += $0 }, clock: { 0 })
    ascii.update(2, values: [("loss", 0.0001)])
    XCTAssertEqual(text, "2/2 ==================== 0s 0s/step - loss: 1.0000e-04\n")
    text = ""
    let two = Progbar(
      target: 2, verbose: 2, averaging: false, dynamicDisplay: false, unicode: true,
      write: { text += $0 }, clock: { 0 })
    two.update(1, values: [("loss", 1)])
    two.update(2, values: [("loss", 0.5)])
    XCTAssertEqual(text, "2/2 - 0s - 0s/step - loss: 0.5000\n")
  }
}
