import Foundation
import SwiftKeras
import TestSupport
import XCTest

@testable import SwiftKerasCore
@testable import SwiftKerasTraining

final class OptimizerTests: XCTestCase {
  var fixture: OptimizerFixture!

  override func setUpWithError() throws {
    fixture = try OptimizerFixture.load()
  }

  /// Runs `optimizer` through the five fixture steps of `testCase` and checks the weights
  /// after every step (one step and five steps in particular), the slots, and the
  /// iteration counter against Keras.
  private func assertMatchesKerasRun(
    _ optimizer: Optimizer, _ testCase: OptimizerFixture.Case,
    file: StaticString = #filePath, line: UInt = #line
  ) throws {
    let (w, b) = fixture.makeVariables()
    for step in 0..<5 {
      try optimizer.apply(gradients: fixture.gradients(step: step, of: testCase), to: [w, b])
      let expected = testCase.steps[step]
      assertMatchesKeras(
        w.untrackedValue.scalars, expected.w, "\(testCase.name) step \(step + 1) w",
        file: file, line: line)
      assertMatchesKeras(
        b.untrackedValue.scalars, expected.b, "\(testCase.name) step \(step + 1) b",
        file: file, line: line)
    }
    let slots = optimizer.stateVariables()
    XCTAssertEqual(
      slots.count, testCase.slots.count, "\(testCase.name): slot count", file: file, line: line)
    for (k, (slot, expected)) in zip(slots, testCase.slots).enumerated() {
      XCTAssertEqual(
        slot.shape, expected.shape, "\(testCase.name) slot \(k) shape", file: file, line: line)
      assertMatchesKeras(
        slot.untrackedValue.scalars, expected.values, "\(testCase.name) slot \(k) '\(slot.name)'",
        file: file, line: line)
    }
    XCTAssertEqual(
      optimizer.iterations, testCase.iterations, "\(testCase.name) iterations", file: file,
      line: line)
  }

  // MARK: Keras fixtures

  func testEveryKerasConfigurationMatchesOneAndFiveSteps() throws {
    XCTAssertGreaterThanOrEqual(fixture.cases.count, 30)
    for testCase in fixture.cases {
      let optimizer = try makeOptimizer(className: testCase.className, config: testCase.config)
      try assertMatchesKerasRun(optimizer, testCase)
    }
  }

  func testConfigsMatchKeras() throws {
    for testCase in fixture.cases {
      let optimizer = try makeOptimizer(className: testCase.className, config: testCase.config)
      assertConfigsEqual(withoutName(optimizer.getConfig()), testCase.config, path: testCase.name)
      XCTAssertEqual(optimizer.kerasClassName, testCase.className)
      let restored = try makeOptimizer(serialized: optimizer.serialized())
      XCTAssertEqual(restored.kerasClassName, testCase.className)
      assertConfigsEqual(restored.getConfig(), optimizer.getConfig(), path: testCase.name)
    }
  }

  func testTypedInitializersMatchKeras() throws {
    let runs: [(Optimizer, String)] = [
      (try SGD(), "sgd"),
      (try SGD(learningRate: 0.05, momentum: 0.9, nesterov: true), "sgd_nesterov"),
      (try SGD(learningRate: 0.1, weightDecay: 0.2), "sgd_weight_decay"),
      (try SGD(learningRate: 0.1, clipnorm: 1.0), "sgd_clipnorm"),
      (try SGD(learningRate: 0.1, clipvalue: 0.5), "sgd_clipvalue"),
      (try SGD(learningRate: 0.1, globalClipnorm: 1.5), "sgd_global_clipnorm"),
      (
        try SGD(
          learningRate: CosineDecay(
            initialLearningRate: 0, decaySteps: 4, alpha: 0.1, warmupTarget: 0.1, warmupSteps: 2),
          momentum: 0.5),
        "sgd_momentum_schedule"
      ),
      (try Adam(), "adam"),
      (try Adam(learningRate: 0.02, amsgrad: true), "adam_amsgrad"),
      (try Adam(learningRate: 0.02, weightDecay: 0.1), "adam_weight_decay"),
      (
        try Adam(
          learningRate: ExponentialDecay(initialLearningRate: 0.05, decaySteps: 2, decayRate: 0.5)),
        "adam_schedule"
      ),
      (try AdamW(), "adamw"),
      (try AdamW(learningRate: 0.02, weightDecay: 0.1, amsgrad: true), "adamw_options"),
      (try RMSprop(), "rmsprop"),
      (
        try RMSprop(
          learningRate: 0.01, rho: 0.8, momentum: 0.5, centered: true, weightDecay: 0.05),
        "rmsprop_centered_momentum"
      ),
      (try Adagrad(), "adagrad"),
      (try Adadelta(learningRate: 1.0, rho: 0.9), "adadelta_lr"),
      (try Adamax(), "adamax"),
      (try Nadam(), "nadam"),
      (try Nadam(learningRate: 0.02, clipvalue: 0.4), "nadam_options"),
      (try Lion(), "lion"),
      (try Lion(learningRate: 0.01, beta1: 0.8, weightDecay: 0.5), "lion_options"),
    ]
    for (optimizer, name) in runs {
      try assertMatchesKerasRun(optimizer, fixture.testCase(name))
    }
  }

  func testIdentifiersCreateKerasDefaults() throws {
    let expectedCases = [
      "sgd": "sgd", "adam": "adam", "adamw": "adamw", "rmsprop": "rmsprop", "adagrad": "adagrad",
      "adadelta": "adadelta", "adamax": "adamax", "nadam": "nadam", "lion": "lion",
    ]
    for (identifier, caseName) in expectedCases {
      try assertMatchesKerasRun(try makeOptimizer(identifier), fixture.testCase(caseName))
    }
    XCTAssertTrue(try makeOptimizer("Adam") is Adam)
    XCTAssertTrue(try makeOptimizer("RMSprop") is RMSprop)
    XCTAssertEqual(try makeOptimizer("adamw").name, "adam_w")
  }

  // MARK: State

  func testCheckpointAndResumeMatchesUninterruptedRun() throws {
    for name in ["adam_amsgrad", "nadam", "rmsprop_centered_momentum", "sgd_momentum_schedule"] {
      let testCase = try fixture.testCase(name)
      let first = try makeOptimizer(className: testCase.className, config: testCase.config)
      let (w, b) = fixture.makeVariables()
      for step in 0..<2 {
        try first.apply(gradients: fixture.gradients(step: step, of: testCase), to: [w, b])
      }
      let saved = first.stateVariables().map { $0.untrackedValue }
      let savedIterations = first.iterations

      // A fresh optimizer and fresh variables restored from the saved values.
      let resumed = try makeOptimizer(className: testCase.className, config: testCase.config)
      let w2 = Variable(w.untrackedValue, name: "w")
      let b2 = Variable(b.untrackedValue, name: "b")
      try resumed.build(variables: [w2, b2])
      try resumed.loadStateValues(saved)
      resumed.iterations = savedIterations
      for step in 2..<5 {
        try resumed.apply(gradients: fixture.gradients(step: step, of: testCase), to: [w2, b2])
      }
      assertMatchesKeras(w2.untrackedValue.scalars, testCase.steps[4].w, "\(name) resumed w")
      assertMatchesKeras(b2.untrackedValue.scalars, testCase.steps[4].b, "\(name) resumed b")
    }
  }

  func testSlotVariablesFollowKerasOrderAndNames() throws {
    let (w, b) = fixture.makeVariables()
    let adam = try Adam(amsgrad: true)
    XCTAssertTrue(adam.stateVariables().isEmpty)
    try adam.build(variables: [w, b])
    XCTAssertEqual(
      adam.stateVariables().map(\.name),
      ["w_momentum", "w_velocity", "b_momentum", "b_velocity", "w_velocity_hat", "b_velocity_hat"])
    let rmsprop = try RMSprop(momentum: 0.5, centered: true)
    try rmsprop.build(variables: [w, b])
    XCTAssertEqual(
      rmsprop.stateVariables().map(\.name),
      [
        "w_velocity", "b_velocity", "w_momentum", "b_momentum", "w_average_gradient",
        "b_average_gradient",
      ])
    XCTAssertTrue(rmsprop.stateVariables().allSatisfy { !$0.trainable })
    let adagrad = try Adagrad(initialAccumulatorValue: 0.25)
    try adagrad.build(variables: [w, b])
    XCTAssertEqual(
      adagrad.stateVariables()[0].untrackedValue.scalars, Array(repeating: 0.25, count: 12))
    XCTAssertTrue(try SGD().stateVariables().isEmpty)
  }

  func testLoadStateValuesRejectsWrongShapes() throws {
    let (w, b) = fixture.makeVariables()
    let adam = try Adam()
    XCTAssertThrowsError(try adam.loadStateValues([])) { error in
      XCTAssertEqual((error as? SwiftKerasError)?.kind, .invalidState)
    }
    try adam.build(variables: [w, b])
    XCTAssertThrowsError(try adam.loadStateValues([Tensor.zeros([3, 4])])) { error in
      XCTAssertEqual((error as? SwiftKerasError)?.kind, .shapeMismatch)
    }
    let wrong = [
      Tensor.zeros([3, 4]), Tensor.zeros([3, 4]), Tensor.zeros([5]), Tensor.zeros([4]),
    ]
    XCTAssertThrowsError(try adam.loadStateValues(wrong)) { error in
      XCTAssertEqual((error as? SwiftKerasError)?.kind, .shapeMismatch)
      XCTAssertTrue("\(error)".contains("b_momentum"), "\(error)")
    }
  }

  // MARK: Learning rate

  func testLearningRateIsReadableAndSettable() throws {
    let testCase = try fixture.testCase("sgd")
    let sgd = try SGD(learningRate: 0.5)
    XCTAssertEqual(sgd.learningRate, 0.5)
    sgd.learningRate = 0.01
    XCTAssertEqual(sgd.learningRate, 0.01)
    try sgd.setLearningRate(0.01)
    XCTAssertEqual(sgd.getConfig()["learning_rate"]?.doubleValue, Double(Float(0.01)))
    // With rate 0.01 the run is Keras's default SGD.
    try assertMatchesKerasRun(sgd, testCase)
  }

  func testLearningRateChangedMidTrainingIsUsedByTheNextStep() throws {
    // Hand math: plain SGD, w -= lr * g, with lr changed between steps.
    let w = Variable(Tensor([1, 2]), name: "w")
    let sgd = try SGD(learningRate: 0.1)
    try sgd.apply(gradients: [Tensor([1, 1])], to: [w])
    sgd.learningRate = 0.5
    try sgd.apply(gradients: [Tensor([1, -2])], to: [w])
    assertClose(w.untrackedValue, Tensor([1 - 0.1 - 0.5, 2 - 0.1 + 1.0]), tolerance: 1e-6)
  }

  func testScheduledLearningRateFollowsIterationsAndCannotBeSetStrictly() throws {
    let schedule = try ExponentialDecay(initialLearningRate: 0.05, decaySteps: 2, decayRate: 0.5)
    let adam = try Adam(learningRate: schedule)
    XCTAssertEqual(adam.learningRate, 0.05, accuracy: 1e-9)
    let (w, b) = fixture.makeVariables()
    let testCase = try fixture.testCase("adam_schedule")
    try adam.apply(gradients: fixture.gradients(step: 0, of: testCase), to: [w, b])
    try adam.apply(gradients: fixture.gradients(step: 1, of: testCase), to: [w, b])
    // 0.05 * 0.5^(2 / 2)
    XCTAssertEqual(adam.learningRate, 0.025, accuracy: 1e-9)
    XCTAssertThrowsError(try adam.setLearningRate(0.1)) { error in
      XCTAssertEqual((error as? SwiftKerasError)?.kind, .invalidState)
    }
    XCTAssertNotNil(adam.learningRateSchedule)
    // Plain assignment replaces the schedule with a constant.
    adam.learningRate = 0.1
    XCTAssertNil(adam.learningRateSchedule)
    XCTAssertEqual(adam.learningRate, 0.1)
  }

  // MARK: Errors

  func testUnknownIdentifierThrowsListingValidNames() {
    XCTAssertThrowsError(try makeOptimizer("adamm")) { error in
      let error = error as? SwiftKerasError
      XCTAssertEqual(error?.kind, .unknownIdentifier)
      for name in ["adam", "sgd", "rmsprop", "lion", "adamw"] {
        XCTAssertTrue(error?.message.contains(name) ?? false, "\(String(describing: error))")
      }
      XCTAssertTrue(error?.message.contains("adamm") ?? false)
    }
    XCTAssertThrowsError(try makeOptimizer(className: "Ftrl", config: [:])) { error in
      XCTAssertEqual((error as? SwiftKerasError)?.kind, .unknownIdentifier)
    }
  }

  func testShapeMismatchThrowsNamingVariableAndShapes() throws {
    let (w, b) = fixture.makeVariables()
    let adam = try Adam()
    XCTAssertThrowsError(
      try adam.apply(gradients: [Tensor.zeros([3, 4]), Tensor.zeros([2, 2])], to: [w, b])
    ) { error in
      let error = error as? SwiftKerasError
      XCTAssertEqual(error?.kind, .shapeMismatch)
      let message = error?.message ?? ""
      XCTAssertTrue(message.contains("'b'"), message)
      XCTAssertTrue(message.contains("[2, 2]"), message)
      XCTAssertTrue(message.contains("[4]"), message)
    }
    // Nothing was updated, not even the first variable.
    XCTAssertEqual(w.untrackedValue.scalars, fixture.initial.w)
    XCTAssertEqual(adam.iterations, 0)
  }

  func testOtherBadCallsThrow() throws {
    let (w, b) = fixture.makeVariables()
    let sgd = try SGD()
    XCTAssertThrowsError(try sgd.apply(gradients: [Tensor.zeros([3, 4])], to: [w, b])) { error in
      XCTAssertEqual((error as? SwiftKerasError)?.kind, .invalidArgument)
    }
    XCTAssertThrowsError(try sgd.apply(gradients: [nil, nil], to: [w, b])) { error in
      XCTAssertEqual((error as? SwiftKerasError)?.kind, .invalidArgument)
    }
    try sgd.apply(gradients: [], to: [])
    XCTAssertEqual(sgd.iterations, 0)
    try sgd.apply(gradients: [Tensor.zeros([3, 4]), nil], to: [w, b])
    XCTAssertEqual(sgd.iterations, 1)
    let stranger = Variable(Tensor([1]), name: "stranger")
    XCTAssertThrowsError(try sgd.apply(gradients: [Tensor([1])], to: [stranger])) { error in
      XCTAssertEqual((error as? SwiftKerasError)?.kind, .invalidState)
      XCTAssertTrue("\(error)".contains("stranger"))
    }
  }

  func testInvalidArgumentsThrowAsKeras() {
    let cases: [(String, () throws -> Optimizer)] = [
      ("momentum > 1", { try SGD(momentum: 1.5) }),
      ("momentum < 0", { try SGD(momentum: -0.1) }),
      ("two clip options", { try Adam(clipnorm: 1, clipvalue: 1) }),
      ("three clip options", { try RMSprop(clipnorm: 1, clipvalue: 1, globalClipnorm: 1) }),
      ("lion beta1 0", { try Lion(beta1: 0) }),
      ("adamw without decay", { try AdamW(learningRateValue: .constant(0.1), weightDecay: nil) }),
    ]
    for (label, make) in cases {
      XCTAssertThrowsError(try make(), label) { error in
        XCTAssertEqual((error as? SwiftKerasError)?.kind, .invalidArgument, label)
      }
    }
  }

  // MARK: Options

  func testExcludeFromWeightDecay() throws {
    // Hand math: SGD with lr 0.1 and decay 0.5: w -= w * 0.5 * 0.1 + 0.1 * g, and the
    // excluded bias just w -= 0.1 * g.
    let w = Variable(Tensor([2, -4]), name: "dense/kernel")
    let bias = Variable(Tensor([2, -4]), name: "dense/bias")
    let sgd = try SGD(learningRate: 0.1, weightDecay: 0.5)
    try sgd.excludeFromWeightDecay(names: ["bias"])
    let g = Tensor([1, 1])
    try sgd.apply(gradients: [g, g], to: [w, bias])
    assertClose(w.untrackedValue, Tensor([2 - 0.1 - 0.1, -4 + 0.2 - 0.1]), tolerance: 1e-6)
    assertClose(bias.untrackedValue, Tensor([2 - 0.1, -4 - 0.1]), tolerance: 1e-6)
    XCTAssertThrowsError(try sgd.excludeFromWeightDecay(variables: [w]))
  }

  func testTypedShorthands() throws {
    func name<O: Optimizer>(of optimizer: O) -> String { optimizer.name }
    XCTAssertEqual(try name(of: .adam(learningRate: 1e-3)), "adam")
    XCTAssertEqual(try name(of: .sgd(momentum: 0.9)), "sgd")
    let rmsprop: RMSprop = try .rmsprop(centered: true)
    XCTAssertTrue(rmsprop.centered)
    let adamw: AdamW = try .adamW()
    XCTAssertEqual(adamw.weightDecay, 0.004)
  }
}
