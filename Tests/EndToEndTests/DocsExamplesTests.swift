import SwiftKeras
import TestSupport
import XCTest

// The code of Docs/Models.md and Docs/Training.md, kept compiling and running.

/// Docs/Models.md, "Subclassed models".
final class TwoTower: Model {
  let left = Dense(16, activation: "relu")
  let right = Dense(16, activation: "relu")
  let head = Dense(1)

  override func call(_ x: Tensor, training: Bool) throws -> Tensor {
    try head(left(x, training: training) + right(x, training: training))
  }
}

/// Docs/Training.md, "Customizing fit: trainStep".
final class ClippedModel: Model {
  let hidden = Dense(32, activation: "relu")
  let output = Dense(3)
  var steps = 0

  override func call(_ x: Tensor, training: Bool) throws -> Tensor {
    try output(hidden(x, training: training))
  }

  override func trainStep(_ batch: TrainingBatch) throws -> Logs {
    steps += 1
    let weights = trainableWeights
    let tape = GradientTape()
    var predictions: [Tensor] = []
    let loss = try tape.record {
      predictions = try callOutputs(batch.x, training: true)
      return try computeLoss(
        x: batch.x, y: batch.y, yPred: predictions, sampleWeight: batch.sampleWeight)
    }
    let gradients = tape.gradient(of: loss, wrt: weights).map { $0.map { clip($0, -1, 1) } }
    try optimizer?.apply(gradients: gradients, to: weights)
    return try computeMetrics(batch, yPred: predictions, loss: loss)
  }
}

/// Docs/Models.md, "Custom layers".
final class Scale: Layer {
  var factor: Variable!

  override func build(inputShape: Shape) throws {
    guard let features = inputShape.last ?? nil else {
      throw SwiftKerasError(.shapeMismatch, "Scale needs a known last axis")
    }
    factor = addWeight(name: "factor", shape: [features], initializer: Ones())
  }

  override func call(_ x: Tensor, training: Bool) throws -> Tensor {
    x * factor.value
  }
}

final class DocsExamplesTests: XCTestCase {
  func testCustomTrainStepRunsInsideFit() throws {
    setRandomSeed(3)
    let x = Tensor.randomNormal(shape: [40, 4])
    let y = Tensor((0..<40).map { Float($0 % 3) })
    let model = ClippedModel()
    try model.compile(
      optimizer: "adam", loss: SparseCategoricalCrossentropy(fromLogits: true),
      metrics: ["accuracy"])
    let history = try model.fit(x: x, y: y, batchSize: 8, epochs: 3, verbose: 0)
    XCTAssertEqual(model.steps, 15)
    XCTAssertEqual(history.keys, ["accuracy", "loss"])
    XCTAssertLessThan(history["loss"][2], history["loss"][0])

    var batches = try EpochIterator(
      data: TrainingBatch(x: [x], y: [y]), batchSize: 32, shuffle: true, seed: 7)
    for epoch in 0..<3 {
      batches.beginEpoch(epoch)
      for _ in 0..<batches.stepsPerEpoch { _ = try model.trainStep(try batches.next()) }
    }
    XCTAssertEqual(model.steps, 15 + 6)
  }

  func testModelsAndTrainingGuidesCompileAndRun() throws {
    let model = try Sequential([Input(shape: [4]), Dense(3, activation: .softmax)])
    try model.compile(
      optimizer: "adam", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"])
    try model.compile(
      optimizer: try .adam(learningRate: 1e-3),
      loss: SparseCategoricalCrossentropy(fromLogits: true),
      metrics: ["accuracy", SparseTopKCategoricalAccuracy(k: 3)])
    let x = Tensor.zeros([8, 4])
    let n = 8
    let optimizer = try Adam(learningRate: 1e-3)
    let loss = SparseCategoricalCrossentropy()
    let y = Tensor.zeros([8])
    for (xBatch, yBatch) in try BatchSequence(count: n, batchSize: 32).tensorBatches(x, y) {
      let tape = GradientTape()
      let value = try tape.record {
        loss(yTrue: yBatch, yPred: try model(xBatch, training: true), sampleWeight: nil)
      }
      let gradients = tape.gradient(of: value, wrt: model.trainableWeights)
      try optimizer.apply(gradients: gradients, to: model.trainableWeights)
    }
    let layer = Scale()
    let tape = GradientTape()
    let l = try tape.record { try layer(x).sum() }
    let gradients = tape.gradient(of: l, wrt: layer.trainableWeights)
    XCTAssertEqual(gradients.count, 1)
    let towers = TwoTower()
    XCTAssertEqual(try towers(x).shape, [8, 1])
    XCTAssertEqual(towers.trainableWeights.count, 6)
    let a = Input(shape: [16], name: "input_a")
    let b = Input(shape: [8], name: "input_b")
    let ha = try Dense(32, activation: .relu, name: "dense_a")(a)
    let hb = try Dense(32, activation: .relu, name: "dense_b")(b)
    let joined = try Concatenate(name: "concat")([ha, hb])
    let output = try Dense(1, activation: .sigmoid, name: "output")(joined)
    let m2 = try Model(inputs: [a, b], outputs: output, name: "two_input")
    _ = try m2.getLayer(name: "dense_a")
    let cnn = try Sequential([
      Input(shape: [28, 28, 1]),
      Conv2D(32, kernelSize: 3, activation: .relu),
      MaxPooling2D(2),
      Conv2D(64, kernelSize: 3, activation: .relu),
      MaxPooling2D(2),
      Flatten(),
      Dense(128, activation: .relu),
      Dense(10, activation: .softmax),
    ])
    XCTAssertEqual(cnn.countParams(), 225_034)
    // 3 epochs of 1,875 steps (60,000 images, batch 32), decaying from 0.002 to 0.
    let schedule = try CosineDecay(initialLearningRate: 0.002, decaySteps: 3 * 1875)
    try cnn.compile(
      optimizer: try Adam(learningRate: schedule), loss: "sparse_categorical_crossentropy",
      metrics: ["accuracy"])
    let images = Tensor.zeros([2, 28, 28, 1])
    try cnn.fit(x: images, y: Tensor.zeros([2]), batchSize: 2, epochs: 1, verbose: 0)
    XCTAssertEqual(schedule(step: 3 * 1875), 0)
    XCTAssertEqual(cnn.optimizer?.iterations, 1)
  }
}
