import SwiftKeras
import SwiftKerasCallbacks
import SwiftKerasCore
import SwiftKerasModels
import TestSupport
import XCTest

final class EarlyStoppingTests: XCTestCase {
  /// Drives EarlyStopping with each fixture's scripted values and compares with Keras 3.
  func testAgreesWithKerasOnScriptedSequences() throws {
    let fixtures = try CallbackFixtures.load()
    XCTAssertGreaterThanOrEqual(fixtures.early_stopping.count, 10)
    for fixture in fixtures.early_stopping {
      let model = try tinyModel()
      let config = fixture.config
      let callback = EarlyStopping(
        monitor: fixture.monitor, minDelta: config["min_delta"]?.number ?? 0,
        patience: Int(config["patience"]?.number ?? 0),
        mode: MonitorMode(rawValue: config["mode"]?.text ?? "auto") ?? .auto,
        baseline: config["baseline"]?.number,
        restoreBestWeights: config["restore_best_weights"]?.flag ?? false,
        startFromEpoch: Int(config["start_from_epoch"]?.number ?? 0))
      callback.setModel(model)
      model.stopTraining = false
      try callback.onTrainBegin(logs: [:])
      var epochsRun = 0
      for (epoch, value) in fixture.values.enumerated() {
        try setAllWeights(model, to: Float(epoch))
        try callback.onEpochEnd(epoch, logs: [fixture.monitor: value, "other": 0])
        let expected = fixture.per_epoch[epoch]
        XCTAssertEqual(callback.wait, expected.wait, "\(fixture.name) epoch \(epoch) wait")
        XCTAssertEqual(model.stopTraining, expected.stop_training, "\(fixture.name) epoch \(epoch)")
        XCTAssertEqual(callback.bestEpoch, expected.best_epoch, "\(fixture.name) epoch \(epoch)")
        if let best = expected.best {
          XCTAssertEqual(
            callback.best ?? .nan, Float(best), accuracy: 1e-6, "\(fixture.name) epoch \(epoch)")
        } else {
          XCTAssertNil(callback.best, fixture.name)
        }
        epochsRun += 1
        if model.stopTraining { break }
      }
      try callback.onTrainEnd(logs: [:])
      XCTAssertEqual(epochsRun, fixture.epochs_run, fixture.name)
      XCTAssertEqual(callback.stoppedEpoch, fixture.stopped_epoch, fixture.name)
      XCTAssertEqual(callback.bestEpoch, fixture.best_epoch, fixture.name)
      for weight in model.getWeights() {
        XCTAssertEqual(
          weight.scalars, [Float](repeating: fixture.final_weight, count: weight.count),
          fixture.name)
      }
    }
  }

  /// mode: .auto resolves each built-in metric name as Keras 3 does after compile.
  func testAutoModeAgreesWithKeras() throws {
    let fixtures = try CallbackFixtures.load()
    XCTAssertGreaterThanOrEqual(fixtures.auto_mode.count, 10)
    for (name, expected) in fixtures.auto_mode.sorted(by: { $0.key < $1.key }) {
      let model = try tinyModel()
      let callback = EarlyStopping(monitor: name, patience: 5)
      callback.setModel(model)
      try callback.onTrainBegin(logs: [:])
      var thrown: Error?
      do {
        try callback.onEpochEnd(0, logs: [name: 1])
        try callback.onEpochEnd(1, logs: [name: 2])
      } catch {
        thrown = error
      }
      switch expected {
      case "error": XCTAssertNotNil(thrown, name)
      case "max":
        XCTAssertNil(thrown, name)
        XCTAssertEqual(callback.bestEpoch, 1, name)
      default:
        XCTAssertNil(thrown, name)
        XCTAssertEqual(callback.bestEpoch, 0, name)
      }
    }
  }

  func testVerboseMessages() throws {
    let model = try tinyModel()
    let callback = EarlyStopping(patience: 1, verbose: 1, restoreBestWeights: true)
    var lines: [String] = []
    callback.log = { lines.append($0) }
    callback.setModel(model)
    try callback.onTrainBegin(logs: [:])
    for (epoch, value) in [Float(1), 0.5, 0.7, 0.8].enumerated() {
      try setAllWeights(model, to: Float(epoch))
      try callback.onEpochEnd(epoch, logs: ["val_loss": value])
      if model.stopTraining { break }
    }
    try callback.onTrainEnd(logs: [:])
    // Epoch 2 (0-based) increments wait to 1 = patience: stop there; best is epoch 1.
    XCTAssertEqual(
      lines,
      ["Epoch 3: early stopping", "Restoring model weights from the end of the best epoch: 2."])
    XCTAssertEqual(model.getWeights()[0].scalars, [1])
  }

  func testUnknownMonitorWarnsOnceNamingTheKeys() throws {
    let model = try tinyModel()
    let callback = EarlyStopping(monitor: "val_los", patience: 0, mode: .min)
    var warnings: [String] = []
    callback.warn = { warnings.append($0) }
    callback.setModel(model)
    try callback.onTrainBegin(logs: [:])
    for epoch in 0..<3 { try callback.onEpochEnd(epoch, logs: ["loss": 1, "val_loss": 2]) }
    XCTAssertEqual(warnings.count, 1)
    XCTAssertTrue(warnings[0].contains("val_los"))
    XCTAssertTrue(warnings[0].contains("loss,val_loss"), warnings[0])
    XCTAssertFalse(model.stopTraining)
  }

  func testAutoModeInfersDirectionAndRejectsUnknownNames() throws {
    let model = try tinyModel()
    let accuracy = EarlyStopping(monitor: "val_accuracy", patience: 0)
    accuracy.setModel(model)
    try accuracy.onTrainBegin(logs: [:])
    try accuracy.onEpochEnd(0, logs: ["val_accuracy": 0.5])
    try accuracy.onEpochEnd(1, logs: ["val_accuracy": 0.6])  // higher: an improvement
    XCTAssertFalse(model.stopTraining)
    try accuracy.onEpochEnd(2, logs: ["val_accuracy": 0.55])
    XCTAssertTrue(model.stopTraining)

    let unknown = EarlyStopping(monitor: "val_custom_thing")
    unknown.setModel(model)
    try unknown.onTrainBegin(logs: [:])
    XCTAssertThrowsError(try unknown.onEpochEnd(0, logs: ["val_custom_thing": 1])) { error in
      XCTAssertTrue("\(error)".contains("mode"), "\(error)")
    }
  }

  func testAutoModeAsksTheCompiledMetricObject() throws {
    // Names the name rule cannot read: the metric objects behind them say which way is
    // better, as Keras's `_direction`.
    setRandomSeed(5)
    let model = try tinyModel()
    try model.compile(
      optimizer: "sgd", loss: "mse",
      metrics: [try Precision(name: "prec"), RootMeanSquaredError(name: "spread")])
    let x = Tensor(shape: [8, 1], scalars: (0..<8).map { Float($0) / 8 })
    let up = EarlyStopping(monitor: "val_prec", patience: 5)
    let down = EarlyStopping(monitor: "spread", patience: 5)
    _ = try model.fit(
      x: x, y: x, batchSize: 4, epochs: 1, verbose: 0, callbacks: [up, down],
      validationSplit: 0.25)
    XCTAssertEqual(up.maximizes, true)
    XCTAssertEqual(down.maximizes, false)
    XCTAssertEqual(model.metrics.map(\.name), ["loss", "prec", "spread"])
  }

  func testRestoresTheBestEpochWeightsOfARealFit() throws {
    setRandomSeed(21)
    let model = try tinyModel()
    try model.compile(optimizer: try SGD(learningRate: 0.9), loss: "mse")
    let x = Tensor(shape: [20, 1], scalars: (0..<20).map { Float($0) / 10 - 1 })
    var weightsByEpoch: [[Float]] = []
    let record = LambdaCallback(onEpochEnd: { _, _ in
      weightsByEpoch.append(model.getWeights().flatMap { $0.scalars })
    })
    let stop = EarlyStopping(monitor: "val_loss", patience: 2, restoreBestWeights: true)
    let history = try model.fit(
      x: x, y: x * 2 + 1, batchSize: 4, epochs: 40, verbose: 0, callbacks: [stop, record],
      validationSplit: 0.25)
    let validationLoss = history["val_loss"]
    let best = try XCTUnwrap(validationLoss.indices.min { validationLoss[$0] < validationLoss[$1] })
    XCTAssertEqual(stop.bestEpoch, best)
    XCTAssertEqual(model.getWeights().flatMap { $0.scalars }, weightsByEpoch[best])
    if history.epoch.count < 40 { XCTAssertEqual(stop.stoppedEpoch, best + 2) }
  }

  func testStopsARealFit() throws {
    setRandomSeed(3)
    let model = try tinyModel()
    let x = Tensor(shape: [8, 1], scalars: (0..<8).map { Float($0) / 8 })
    // Learning rate 1.0 on this data diverges, so the loss rises and training stops.
    let stop = EarlyStopping(monitor: "loss", patience: 1)
    let history = try model.fit(
      x: x, y: x * 3, batchSize: 8, epochs: 50, verbose: 0, callbacks: [stop])
    XCTAssertLessThan(history.epoch.count, 50)
    XCTAssertEqual(history.epoch.count, stop.stoppedEpoch + 1)
  }
}
