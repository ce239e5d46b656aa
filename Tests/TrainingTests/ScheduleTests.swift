import Foundation
import SwiftKeras
import TestSupport
import XCTest

@testable import SwiftKerasCore
@testable import SwiftKerasTraining

final class ScheduleTests: XCTestCase {
  var fixture: OptimizerFixture!

  override func setUpWithError() throws {
    fixture = try OptimizerFixture.load()
  }

  private func assertValuesMatchKeras(
    _ schedule: LearningRateSchedule, _ record: OptimizerFixture.Schedule,
    file: StaticString = #filePath, line: UInt = #line
  ) {
    for (step, expected) in zip(record.steps, record.values) {
      let value = Double(schedule(step: step))
      XCTAssertLessThanOrEqual(
        abs(value - expected), 1e-6 * abs(expected) + 1e-12,
        "\(record.className) \(record.config["name"]?.stringValue ?? "") at step \(step): got "
          + "\(value), Keras \(expected)", file: file, line: line)
    }
  }

  func testEverySchedulesValuesMatchKeras() throws {
    XCTAssertGreaterThanOrEqual(fixture.schedules.count, 14)
    XCTAssertEqual(
      Set(fixture.schedules.map(\.className)), Set(learningRateScheduleClassNames))
    for record in fixture.schedules {
      let schedule = try makeLearningRateSchedule(
        className: record.className, config: record.config)
      XCTAssertEqual(schedule.kerasClassName, record.className)
      assertValuesMatchKeras(schedule, record)
    }
  }

  func testConfigsRoundTripWithKerasKeys() throws {
    for record in fixture.schedules {
      let schedule = try makeLearningRateSchedule(
        className: record.className, config: record.config)
      assertConfigsEqual(schedule.getConfig(), record.config, path: record.className)
      let serialized = schedule.serialized()
      XCTAssertEqual(serialized["module"], "keras.optimizers.schedules")
      let again = try makeLearningRateSchedule(serialized: serialized)
      assertValuesMatchKeras(again, record)
    }
  }

  func testTypedInitializersMatchKeras() throws {
    let typed: [LearningRateSchedule] = [
      try ExponentialDecay(initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.9),
      try ExponentialDecay(
        initialLearningRate: 0.1, decaySteps: 7, decayRate: 0.5, staircase: true),
      try PiecewiseConstantDecay(boundaries: [10, 20, 50], values: [1.0, 0.5, 0.1, 0.01]),
      try PolynomialDecay(initialLearningRate: 0.1, decaySteps: 40),
      try PolynomialDecay(
        initialLearningRate: 0.1, decaySteps: 30, endLearningRate: 0.01, power: 2.0),
      try PolynomialDecay(
        initialLearningRate: 0.1, decaySteps: 30, endLearningRate: 0.01, power: 0.5, cycle: true),
      try InverseTimeDecay(initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5),
      try InverseTimeDecay(
        initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: true),
      try CosineDecay(initialLearningRate: 0.1, decaySteps: 50),
      try CosineDecay(initialLearningRate: 0.1, decaySteps: 50, alpha: 0.2),
      try CosineDecay(
        initialLearningRate: 0.01, decaySteps: 40, alpha: 0.1, warmupTarget: 0.2, warmupSteps: 10),
      try CosineDecayRestarts(initialLearningRate: 0.1, firstDecaySteps: 10),
      try CosineDecayRestarts(
        initialLearningRate: 0.1, firstDecaySteps: 8, tMul: 1.0, mMul: 0.5, alpha: 0.1),
      try CosineDecayRestarts(
        initialLearningRate: 0.1, firstDecaySteps: 5, tMul: 3.0, mMul: 0.8, alpha: 0.05),
    ]
    XCTAssertEqual(typed.count, fixture.schedules.count)
    for (schedule, record) in zip(typed, fixture.schedules) {
      XCTAssertEqual(schedule.kerasClassName, record.className)
      assertValuesMatchKeras(schedule, record)
      assertConfigsEqual(schedule.getConfig(), record.config, path: record.className)
    }
  }

  func testHandComputedValues() throws {
    // 0.1 * 0.5^(20 / 10)
    XCTAssertEqual(
      try ExponentialDecay(initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5)(step: 20),
      0.025, accuracy: 1e-8)
    // Halfway through a cosine: 0.1 * 0.5 * (1 + cos(pi / 2))
    XCTAssertEqual(
      try CosineDecay(initialLearningRate: 0.1, decaySteps: 100)(step: 50), 0.05, accuracy: 1e-8)
    // Boundaries are inclusive on the left range: step 10 still gets the first value.
    let piecewise = try PiecewiseConstantDecay(boundaries: [10], values: [1, 0.5])
    XCTAssertEqual(piecewise(step: 10), 1)
    XCTAssertEqual(piecewise(step: 11), 0.5)
  }

  func testInvalidSchedulesThrow() {
    XCTAssertThrowsError(
      try ExponentialDecay(initialLearningRate: 0.1, decaySteps: 0, decayRate: 0.9)
    ) {
      XCTAssertEqual(($0 as? SwiftKerasError)?.kind, .invalidArgument)
    }
    XCTAssertThrowsError(try CosineDecayRestarts(initialLearningRate: 0.1, firstDecaySteps: -1)) {
      XCTAssertTrue("\($0)".contains("first_decay_steps"))
    }
    XCTAssertThrowsError(try PiecewiseConstantDecay(boundaries: [1, 2], values: [1, 2])) {
      XCTAssertEqual(($0 as? SwiftKerasError)?.kind, .invalidArgument)
    }
    XCTAssertThrowsError(try makeLearningRateSchedule(className: "StepDecay", config: [:])) {
      XCTAssertEqual(($0 as? SwiftKerasError)?.kind, .unknownIdentifier)
    }
    XCTAssertThrowsError(
      try makeLearningRateSchedule(className: "ExponentialDecay", config: ["decay_steps": 3])
    ) {
      XCTAssertEqual(($0 as? SwiftKerasError)?.kind, .invalidData)
    }
  }
}
