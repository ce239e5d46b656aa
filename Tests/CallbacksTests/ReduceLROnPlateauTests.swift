import SwiftKeras
import SwiftKerasCallbacks
import SwiftKerasCore
import SwiftKerasModels
import TestSupport
import XCTest

final class ReduceLROnPlateauTests: XCTestCase {
  /// A compiled tiny model with its optimizer resolved (one step) and the rate set to 1.
  func modelWithOptimizer() throws -> Model {
    let model = try tinyModel()
    try model.trainOnBatch(
      x: Tensor(shape: [1, 1], scalars: [0]), y: Tensor(shape: [1, 1], scalars: [0]))
    let optimizer = try XCTUnwrap(model.optimizer)
    optimizer.learningRate = 1
    return model
  }

  func testAgreesWithKerasOnScriptedSequences() throws {
    let fixtures = try CallbackFixtures.load()
    XCTAssertGreaterThanOrEqual(fixtures.reduce_lr_on_plateau.count, 5)
    for fixture in fixtures.reduce_lr_on_plateau {
      let model = try modelWithOptimizer()
      let config = fixture.config
      let callback = ReduceLROnPlateau(
        monitor: fixture.monitor, factor: config["factor"]?.number ?? 0.1,
        patience: Int(config["patience"]?.number ?? 10),
        mode: MonitorMode(rawValue: config["mode"]?.text ?? "auto") ?? .auto,
        minDelta: config["min_delta"]?.number ?? 1e-4,
        cooldown: Int(config["cooldown"]?.number ?? 0),
        minLR: config["min_lr"]?.number ?? 0)
      callback.setModel(model)
      try callback.onTrainBegin(logs: [:])
      for (epoch, value) in fixture.values.enumerated() {
        try callback.onEpochEnd(epoch, logs: [fixture.monitor: value])
        XCTAssertEqual(
          model.optimizer?.learningRate ?? .nan, fixture.learning_rates[epoch],
          accuracy: fixture.learning_rates[epoch] * 1e-6, "\(fixture.name) epoch \(epoch)")
        XCTAssertEqual(callback.wait, fixture.waits[epoch], "\(fixture.name) epoch \(epoch)")
        XCTAssertEqual(
          callback.cooldownCounter, fixture.cooldowns[epoch], "\(fixture.name) epoch \(epoch)")
      }
    }
  }

  func testVerboseMessageAndFactorCheck() throws {
    let model = try modelWithOptimizer()
    let callback = ReduceLROnPlateau(monitor: "loss", factor: 0.5, patience: 1, verbose: 1)
    var lines: [String] = []
    callback.log = { lines.append($0) }
    callback.setModel(model)
    try callback.onTrainBegin(logs: [:])
    try callback.onEpochEnd(0, logs: ["loss": 1])
    try callback.onEpochEnd(1, logs: ["loss": 1])
    XCTAssertEqual(lines, ["\nEpoch 2: ReduceLROnPlateau reducing learning rate to 0.5."])

    let bad = ReduceLROnPlateau(factor: 1.5)
    bad.setModel(model)
    XCTAssertThrowsError(try bad.onTrainBegin(logs: [:]))
  }
}

final class SimpleCallbacksTests: XCTestCase {
  func testLearningRateSchedulerSetsTheRateEachEpoch() throws {
    setRandomSeed(5)
    let model = try tinyModel()
    var seen: [Float] = []
    let scheduler = LearningRateScheduler { epoch, rate in
      seen.append(rate)
      return 0.1 / Float(epoch + 1)
    }
    var ratesDuringEpoch: [Float] = []
    let probe = LambdaCallback(onEpochEnd: { _, _ in
      ratesDuringEpoch.append(model.optimizer?.learningRate ?? .nan)
    })
    let x = Tensor(shape: [4, 1], scalars: [0, 0.1, 0.2, 0.3])
    try model.fit(x: x, y: x, batchSize: 4, epochs: 3, verbose: 0, callbacks: [scheduler, probe])
    XCTAssertEqual(seen, [1, 0.1, 0.05])  // compiled with SGD(1.0), then the schedule's values
    XCTAssertEqual(ratesDuringEpoch, [0.1, 0.05, Float(0.1) / 3])
  }

  func testTerminateOnNaNStopsGracefully() throws {
    let model = try tinyModel()
    let terminate = TerminateOnNaN()
    var lines: [String] = []
    terminate.log = { lines.append($0) }
    var trainEnded = false
    var batches = 0
    let probe = LambdaCallback(
      onTrainBatchEnd: { _, _ in batches += 1 }, onTrainEnd: { _ in trainEnded = true })
    let x = Tensor(shape: [4, 1], scalars: [0, .nan, 0.2, 0.3])
    let history = try model.fit(
      x: x, y: x, batchSize: 1, epochs: 5, verbose: 0, callbacks: [terminate, probe], shuffle: false
    )
    // Sample 1 makes the loss NaN at batch 1: training ends after that batch's epoch end.
    XCTAssertEqual(lines, ["Batch 1: Invalid loss, terminating training"])
    XCTAssertEqual(batches, 2)
    XCTAssertEqual(history.epoch, [0])
    XCTAssertTrue(trainEnded)
  }

  func testTerminateOnNaNRaises() throws {
    let model = try tinyModel()
    var trainEnded = false
    let probe = LambdaCallback(onTrainEnd: { _ in trainEnded = true })
    let x = Tensor(shape: [2, 1], scalars: [.infinity, 0])
    XCTAssertThrowsError(
      try model.fit(
        x: x, y: x, batchSize: 1, epochs: 2, verbose: 0,
        callbacks: [TerminateOnNaN(raiseError: true), probe], shuffle: false)
    ) { error in
      XCTAssertTrue("\(error)".contains("NaN or Inf loss encountered at batch 0"), "\(error)")
    }
    XCTAssertFalse(trainEnded, "raiseError skips onTrainEnd, as Keras")
  }

  func testLambdaCallbackCallsEachHookInOrder() throws {
    let model = try tinyModel()
    var events: [String] = []
    let lambda = LambdaCallback(
      onEpochBegin: { epoch, _ in events.append("epochBegin \(epoch)") },
      onEpochEnd: { epoch, logs in events.append("epochEnd \(epoch) \(logs["loss"] != nil)") },
      onTrainBatchBegin: { batch, _ in events.append("batchBegin \(batch)") },
      onTrainBatchEnd: { batch, _ in events.append("batchEnd \(batch)") },
      onTrainBegin: { _ in events.append("trainBegin") },
      onTrainEnd: { _ in events.append("trainEnd") })
    let x = Tensor(shape: [2, 1], scalars: [0, 1])
    try model.fit(x: x, y: x, batchSize: 1, epochs: 1, verbose: 0, callbacks: [lambda])
    XCTAssertEqual(
      events,
      [
        "trainBegin", "epochBegin 0", "batchBegin 0", "batchEnd 0", "batchBegin 1", "batchEnd 1",
        "epochEnd 0 true", "trainEnd",
      ])
  }
}
