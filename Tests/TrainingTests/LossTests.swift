import Foundation
import SwiftKeras
import TestSupport
import XCTest

@testable import SwiftKerasCore
@testable import SwiftKerasTraining

/// A tensor as stored in the fixtures: shape plus row-major data.
struct FixtureTensor: Decodable {
  let shape: [Int]
  let data: [Double]
  var tensor: Tensor { Tensor(shape: shape, scalars: data.map { Float($0) }) }
}

/// One Keras loss evaluation from Scripts/fixtures/losses_metrics.py.
private struct LossCase: Decodable {
  let id: String
  let className: String
  let config: ConfigValue
  let yTrue: FixtureTensor
  let yPred: FixtureTensor
  let sampleWeight: FixtureTensor?
  let expected: FixtureTensor
  let perSample: FixtureTensor
  let grad: FixtureTensor

  enum CodingKeys: String, CodingKey {
    case id, config, expected, grad
    case className = "class_name"
    case yTrue = "y_true"
    case yPred = "y_pred"
    case sampleWeight = "sample_weight"
    case perSample = "per_sample"
  }
}

private struct LossFixtures: Decodable {
  let kerasVersion: String
  let cases: [LossCase]

  enum CodingKeys: String, CodingKey {
    case cases
    case kerasVersion = "keras_version"
  }
}

final class LossTests: XCTestCase {
  private static let fixtures: LossFixtures? = {
    guard let data = try? Data(contentsOf: fixtureURL("losses.json")) else { return nil }
    return try? JSONDecoder().decode(LossFixtures.self, from: data)
  }()

  private func loadFixtures() throws -> LossFixtures {
    try XCTUnwrap(LossTests.fixtures, "Tests/Fixtures/losses.json missing or unreadable")
  }

  private func makeFixtureLoss(_ c: LossCase) throws -> any Loss {
    try makeLoss(config: ["class_name": .string(c.className), "config": c.config])
  }

  // MARK: - Values against Keras

  func testReducedValuesMatchKeras() throws {
    let fixtures = try loadFixtures()
    XCTAssertGreaterThan(fixtures.cases.count, 150)
    for c in fixtures.cases {
      let loss = try makeFixtureLoss(c)
      let value = try loss.compute(
        yTrue: c.yTrue.tensor, yPred: c.yPred.tensor, sampleWeight: c.sampleWeight?.tensor)
      XCTAssertEqual(value.shape, c.expected.shape, c.id)
      for (i, (got, want)) in zip(value.scalars, c.expected.data).enumerated() {
        XCTAssertEqual(
          Double(got), want, accuracy: 1e-5 * max(1, abs(want)), "\(c.id) element \(i)")
      }
    }
  }

  func testPerSampleValuesMatchKeras() throws {
    for c in try loadFixtures().cases {
      let loss = try makeFixtureLoss(c)
      let values = loss.perSample(yTrue: c.yTrue.tensor, yPred: c.yPred.tensor)
      XCTAssertEqual(values.shape, c.perSample.shape, c.id)
      for (i, (got, want)) in zip(values.scalars, c.perSample.data).enumerated() {
        XCTAssertEqual(
          Double(got), want, accuracy: 1e-5 * max(1, abs(want)), "\(c.id) element \(i)")
      }
    }
  }

  func testGradientsMatchTensorFlow() throws {
    for c in try loadFixtures().cases {
      let loss = try makeFixtureLoss(c)
      let tape = GradientTape()
      let yPred = tape.watch(c.yPred.tensor)
      let value = tape.record {
        loss(yTrue: c.yTrue.tensor, yPred: yPred, sampleWeight: c.sampleWeight?.tensor).sum()
      }
      let grad = try XCTUnwrap(tape.gradient(of: value, wrt: yPred), c.id)
      XCTAssertEqual(grad.shape, c.grad.shape, c.id)
      for (i, (got, want)) in zip(grad.scalars, c.grad.data).enumerated() {
        XCTAssertEqual(
          Double(got), want, accuracy: 1e-4 * max(1, abs(want)), "\(c.id) gradient element \(i)")
      }
    }
  }

  func testConfigsMatchKeras() throws {
    for c in try loadFixtures().cases {
      let loss = try makeFixtureLoss(c)
      let mine = try XCTUnwrap(loss.getConfig().objectValue)
      let keras = try XCTUnwrap(c.config.objectValue)
      XCTAssertEqual(loss.name, keras["name"]?.stringValue, c.id)
      for (key, value) in mine {
        guard let expected = keras[key] else { continue }
        if let a = value.doubleValue, let b = expected.doubleValue {
          XCTAssertEqual(a, b, accuracy: 1e-6, "\(c.id) config \(key)")
        } else {
          XCTAssertEqual(value, expected, "\(c.id) config \(key)")
        }
      }
    }
  }

  // MARK: - Gradients against finite differences

  private func checkFiniteDifferences(
    _ loss: any Loss, yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor? = nil,
    epsilon: Float = 1e-3, file: StaticString = #filePath, line: UInt = #line
  ) {
    assertGradientsMatchFiniteDifferences(
      [yPred], epsilon: epsilon, tolerance: 2e-2, file: file, line: line
    ) { xs in
      loss(yTrue: yTrue, yPred: xs[0], sampleWeight: sampleWeight)
    }
  }

  func testRegressionGradientsMatchFiniteDifferences() {
    let yTrue = Tensor([[0.5, -1.0, 2.0], [1.5, 0.25, -0.5]])
    let yPred = Tensor([[0.1, -0.2, 1.2], [2.2, 0.9, -0.1]])
    let weights = Tensor([0.5, 2.0])
    let losses: [any Loss] = [
      MeanSquaredError(), MeanAbsoluteError(), MeanAbsolutePercentageError(), Huber(),
      Huber(delta: 0.5), LogCosh(), MeanSquaredError(reduction: .sum),
      MeanAbsoluteError(reduction: .meanWithSampleWeight), CosineSimilarity(),
    ]
    for loss in losses {
      checkFiniteDifferences(loss, yTrue: yTrue, yPred: yPred, sampleWeight: weights)
    }
    checkFiniteDifferences(CosineSimilarity(axis: 0), yTrue: yTrue, yPred: yPred)
    let positive = Tensor([[0.5, 1.0, 2.0], [1.5, 0.25, 0.5]])
    let positivePred = Tensor([[0.8, 0.6, 1.2], [2.2, 0.9, 0.3]])
    for loss in [MeanSquaredLogarithmicError(), Poisson()] as [any Loss] {
      checkFiniteDifferences(loss, yTrue: positive, yPred: positivePred, sampleWeight: weights)
    }
  }

  func testProbabilisticGradientsMatchFiniteDifferences() {
    let labels = Tensor([[1, 0, 0], [0, 0, 1]])
    let probabilities = Tensor([[0.6, 0.3, 0.1], [0.2, 0.3, 0.5]])
    let unnormalised = Tensor([[0.9, 0.4, 0.3], [0.2, 0.7, 1.1]])
    let logits = Tensor([[1.5, -0.3, 0.2], [0.1, -1.2, 2.0]])
    let weights = Tensor([0.7, 1.6])
    let onProbabilities: [any Loss] = [
      BinaryCrossentropy(), BinaryCrossentropy(labelSmoothing: 0.2),
      BinaryFocalCrossentropy(), BinaryFocalCrossentropy(applyClassBalancing: true, gamma: 1.5),
      CategoricalCrossentropy(), CategoricalCrossentropy(labelSmoothing: 0.1),
      CategoricalFocalCrossentropy(), KLDivergence(), Hinge(), SquaredHinge(), CategoricalHinge(),
    ]
    for loss in onProbabilities {
      checkFiniteDifferences(loss, yTrue: labels, yPred: probabilities, sampleWeight: weights)
    }
    for loss in [CategoricalCrossentropy(), CategoricalFocalCrossentropy()] as [any Loss] {
      checkFiniteDifferences(loss, yTrue: labels, yPred: unnormalised, sampleWeight: weights)
    }
    let onLogits: [any Loss] = [
      BinaryCrossentropy(fromLogits: true), BinaryFocalCrossentropy(fromLogits: true),
      CategoricalCrossentropy(fromLogits: true), CategoricalFocalCrossentropy(fromLogits: true),
      CategoricalCrossentropy(fromLogits: true, labelSmoothing: 0.3),
    ]
    for loss in onLogits {
      checkFiniteDifferences(loss, yTrue: labels, yPred: logits, sampleWeight: weights)
    }
  }

  func testSparseCrossentropyGradientsMatchFiniteDifferences() {
    let labels = Tensor([0, 2, 1])
    let probabilities = Tensor([[0.6, 0.3, 0.1], [0.2, 0.3, 0.5], [0.25, 0.45, 0.3]])
    let unnormalised = Tensor([[0.9, 0.4, 0.3], [0.2, 0.7, 1.1], [0.5, 0.5, 0.5]])
    let logits = Tensor([[1.5, -0.3, 0.2], [0.1, -1.2, 2.0], [0.0, 0.4, -0.7]])
    let weights = Tensor([0.7, 1.6, 1.0])
    checkFiniteDifferences(
      SparseCategoricalCrossentropy(), yTrue: labels, yPred: probabilities, sampleWeight: weights)
    checkFiniteDifferences(SparseCategoricalCrossentropy(), yTrue: labels, yPred: unnormalised)
    checkFiniteDifferences(
      SparseCategoricalCrossentropy(fromLogits: true), yTrue: labels.reshaped(to: [3, 1]),
      yPred: logits, sampleWeight: weights)
    checkFiniteDifferences(
      SparseCategoricalCrossentropy(fromLogits: true, ignoreClass: 2), yTrue: labels,
      yPred: logits)
    checkFiniteDifferences(
      SparseCategoricalCrossentropy(reduction: .sum), yTrue: labels, yPred: probabilities)
  }

  // MARK: - Fused kernels

  func testFusedLossesRecordOneTapeEntry() {
    let labels = Tensor([[1, 0, 0], [0, 0, 1]])
    let cases: [(any Loss, Tensor)] = [
      (SparseCategoricalCrossentropy(), Tensor([0, 2])),
      (SparseCategoricalCrossentropy(fromLogits: true), Tensor([0, 2])),
      (CategoricalCrossentropy(), labels), (CategoricalCrossentropy(fromLogits: true), labels),
      (MeanSquaredError(), labels), (MeanAbsoluteError(), labels), (Huber(), labels),
    ]
    for (loss, yTrue) in cases {
      let tape = GradientTape()
      let yPred = tape.watch(Tensor([[0.5, 0.3, 0.2], [0.1, 0.2, 0.7]]))
      let before = tape.entries.count
      let values = tape.record { loss.perSample(yTrue: yTrue, yPred: yPred) }
      XCTAssertEqual(tape.entries.count - before, 1, loss.name)
      XCTAssertEqual(values.shape, [2], loss.name)
    }
  }

  func testFusedCrossentropyMatchesGenericOpsAtScale() throws {
    // Reference: −Σ onehot · logSoftmax(z), built from Core's generic differentiable ops.
    var generator = RandomGenerator(seed: 11)
    let (rows, classes) = (64, 37)
    let logits = Tensor.randomNormal(
      shape: [rows, classes], mean: 0, stddev: 3, generator: &generator)
    let labelValues = (0..<rows).map { Float(($0 * 7 + 3) % classes) }
    var oneHot = Tensor(repeating: 0, shape: [rows, classes])
    for (r, label) in labelValues.enumerated() { oneHot[r, Int(label)] = 1 }
    let cases: [(any Loss, Tensor)] = [
      (SparseCategoricalCrossentropy(fromLogits: true), Tensor(labelValues)),
      (CategoricalCrossentropy(fromLogits: true), oneHot),
    ]
    for (loss, yTrue) in cases {
      let tape = GradientTape(persistent: true)
      let z = tape.watch(logits)
      let (fused, reference) = tape.record {
        (
          loss(yTrue: yTrue, yPred: z),
          -(oneHot * z.logSoftmax(alongAxis: -1)).sum() * Float(1.0 / Double(rows))
        )
      }
      XCTAssertEqual(
        fused.scalar, reference.scalar, accuracy: 1e-5 * abs(reference.scalar), loss.name)
      let gFused = try XCTUnwrap(tape.gradient(of: fused, wrt: z))
      let gReference = try XCTUnwrap(tape.gradient(of: reference, wrt: z))
      assertClose(gFused, gReference, tolerance: 1e-6)
    }
  }

  func testSparseCrossentropyFromLogitsGradientIsSoftmaxMinusOneHot() throws {
    // Hand math: d/dz (logsumexp(z) − z[label]) = softmax(z) − onehot(label); the default
    // reduction divides by the batch size 2.
    let z: [[Float]] = [[1, 2, 3], [0, 0, 0]]
    let tape = GradientTape()
    let logits = tape.watch(Tensor(z))
    let loss = tape.record {
      SparseCategoricalCrossentropy(fromLogits: true)(yTrue: Tensor([2, 0]), yPred: logits)
    }
    let grad = try XCTUnwrap(tape.gradient(of: loss, wrt: logits))
    let e: [Float] = [exp(1), exp(2), exp(3)]
    let s = e[0] + e[1] + e[2]
    let expected = Tensor([
      [e[0] / s / 2, e[1] / s / 2, (e[2] / s - 1) / 2], [(1.0 / 3 - 1) / 2, 1.0 / 6, 1.0 / 6],
    ])
    assertClose(grad, expected, tolerance: 1e-6)
    let expectedLoss = ((log(s) - 3) + log(3)) / 2
    XCTAssertEqual(loss.scalar, expectedLoss, accuracy: 1e-6)
  }

  func testReductionDividesByElementCountNotWeightSum() {
    // Hand math: per-sample squared errors [1, 4]; weights [1, 0]:
    // sum_over_batch_size = (1·1 + 4·0) / 2, mean_with_sample_weight = 1 / 1.
    let yTrue = Tensor([[0], [0]])
    let yPred = Tensor([[1], [2]])
    let weights = Tensor([1, 0])
    XCTAssertEqual(
      MeanSquaredError()(yTrue: yTrue, yPred: yPred, sampleWeight: weights).scalar, 0.5)
    XCTAssertEqual(
      MeanSquaredError(reduction: .meanWithSampleWeight)(
        yTrue: yTrue, yPred: yPred, sampleWeight: weights
      ).scalar, 1)
    XCTAssertEqual(MeanSquaredError(reduction: .sum)(yTrue: yTrue, yPred: yPred).scalar, 5)
    XCTAssertEqual(
      MeanSquaredError(reduction: .none)(yTrue: yTrue, yPred: yPred, sampleWeight: weights).scalars,
      [1, 0])
  }

  func testCustomLossUsesClosureAndTape() throws {
    let loss = CustomLoss(name: "my_loss") { yTrue, yPred in
      abs(yPred - yTrue).sum(alongAxis: -1)  // mean over 2 columns, times 2
    }
    XCTAssertEqual(loss.name, "my_loss")
    // Hand math: rows |[1, -2]| → 1.5 · 2 = 3 and |[0.5, 0.5]| → 0.5 · 2 = 1; mean 2.
    let yTrue = Tensor([[0, 0], [1, 1]])
    let tape = GradientTape()
    let yPred = tape.watch(Tensor([[1, -2], [1.5, 1.5]]))
    let value = tape.record { loss(yTrue: yTrue, yPred: yPred) }
    XCTAssertEqual(value.scalar, 2, accuracy: 1e-6)
    let grad = try XCTUnwrap(tape.gradient(of: value, wrt: yPred))
    assertClose(grad, Tensor([[0.5, -0.5], [0.5, 0.5]]))
  }

  // MARK: - Identifiers and errors

  func testFactoryAcceptsKerasIdentifiersAndAliases() throws {
    let expected: [String: String] = [
      "mse": "mean_squared_error", "MSE": "mean_squared_error", "mae": "mean_absolute_error",
      "mape": "mean_absolute_percentage_error", "msle": "mean_squared_logarithmic_error",
      "kld": "kl_divergence", "kullback_leibler_divergence": "kl_divergence",
      "logcosh": "log_cosh", "log_cosh": "log_cosh", "huber_loss": "huber_loss",
      "huber": "huber_loss", "bce": "binary_crossentropy",
      "sparse_categorical_crossentropy": "sparse_categorical_crossentropy",
      "SparseCategoricalCrossentropy": "sparse_categorical_crossentropy",
      "CategoricalCrossentropy": "categorical_crossentropy",
      "binary_focal_crossentropy": "binary_focal_crossentropy",
      "categorical_focal_crossentropy": "categorical_focal_crossentropy", "poisson": "poisson",
      "hinge": "hinge", "squared_hinge": "squared_hinge", "categorical_hinge": "categorical_hinge",
      "cosine_similarity": "cosine_similarity", "KLDivergence": "kl_divergence",
    ]
    for (identifier, name) in expected {
      let loss = try makeLoss(identifier)
      XCTAssertEqual(loss.name, name, identifier)
      XCTAssertEqual(loss.reduction, .sumOverBatchSize, identifier)
    }
    XCTAssertTrue(try makeLoss("sparse_categorical_crossentropy") is SparseCategoricalCrossentropy)
  }

  func testUnknownIdentifierThrows() {
    XCTAssertThrowsError(try makeLoss("mean_sqared_error")) { error in
      let e = error as? SwiftKerasError
      XCTAssertEqual(e?.kind, .unknownIdentifier)
      XCTAssertTrue(e?.message.contains("mean_sqared_error") ?? false)
      XCTAssertTrue(e?.message.contains("mean_squared_error") ?? false)
    }
    XCTAssertThrowsError(try LossReduction(identifier: "average")) { error in
      XCTAssertEqual((error as? SwiftKerasError)?.kind, .unknownIdentifier)
    }
    XCTAssertThrowsError(
      try makeLoss(config: ["class_name": "BinaryCrossentropy", "config": ["from_logits": "yes"]])
    ) { error in
      XCTAssertEqual((error as? SwiftKerasError)?.kind, .invalidArgument)
    }
  }

  func testShapeMismatchThrowsNamingBothShapes() {
    let cases: [(any Loss, Tensor, Tensor)] = [
      (
        MeanSquaredError(), Tensor(repeating: 0, shape: [4, 3]),
        Tensor(repeating: 0, shape: [4, 2])
      ),
      (
        CategoricalCrossentropy(), Tensor(repeating: 0, shape: [4, 3]),
        Tensor(repeating: 0, shape: [4, 4])
      ),
      (
        BinaryCrossentropy(), Tensor(repeating: 0, shape: [4, 3]),
        Tensor(repeating: 0.5, shape: [3, 4])
      ),
      (
        SparseCategoricalCrossentropy(), Tensor(repeating: 0, shape: [5]),
        Tensor(repeating: 0.5, shape: [4, 3])
      ),
      (
        SparseCategoricalCrossentropy(), Tensor(repeating: 0, shape: [4, 2]),
        Tensor(repeating: 0.5, shape: [4, 3])
      ),
    ]
    for (loss, yTrue, yPred) in cases {
      XCTAssertThrowsError(try loss.compute(yTrue: yTrue, yPred: yPred), loss.name) { error in
        let e = error as? SwiftKerasError
        XCTAssertEqual(e?.kind, .shapeMismatch, loss.name)
        XCTAssertTrue(e?.message.contains("\(yTrue.shape)") ?? false, e?.message ?? "")
        XCTAssertTrue(e?.message.contains("\(yPred.shape)") ?? false, e?.message ?? "")
      }
    }
    XCTAssertThrowsError(
      try MeanSquaredError().compute(
        yTrue: Tensor(repeating: 0, shape: [4, 3]), yPred: Tensor(repeating: 1, shape: [4, 3]),
        sampleWeight: Tensor([1, 2, 3]))
    ) { error in
      XCTAssertEqual((error as? SwiftKerasError)?.kind, .shapeMismatch)
    }
  }

  func testSparseLabelOutOfRangeThrowsNamingTheLabel() {
    let probabilities = Tensor(repeating: 1.0 / 3, shape: [3, 3])
    let loss = SparseCategoricalCrossentropy()
    for (labels, bad, index) in [
      ([0, 3, 1], "3.0", 1), ([0, 1, -1], "-1.0", 2), ([1.5, 0, 0], "1.5", 0),
    ]
      as [([Float], String, Int)]
    {
      XCTAssertThrowsError(try loss.validate(yTrue: Tensor(labels), yPred: probabilities)) {
        error in
        let e = error as? SwiftKerasError
        XCTAssertEqual(e?.kind, .invalidData)
        XCTAssertTrue(e?.message.contains("label \(bad)") ?? false, e?.message ?? "")
        XCTAssertTrue(e?.message.contains("index \(index)") ?? false, e?.message ?? "")
      }
    }
    XCTAssertNoThrow(
      try SparseCategoricalCrossentropy(ignoreClass: -1).validate(
        yTrue: Tensor([0, 1, -1]), yPred: probabilities))
    XCTAssertThrowsError(
      try SparseCategoricalCrossentropy.validateLabels(Tensor([0, 7]), classes: 3))
  }

  func testInvalidArgumentsThrow() {
    let yTrue = Tensor(repeating: 0, shape: [2, 3])
    let yPred = Tensor(repeating: 0.5, shape: [2, 3])
    XCTAssertThrowsError(
      try BinaryCrossentropy(labelSmoothing: 1.5).validate(yTrue: yTrue, yPred: yPred))
    XCTAssertThrowsError(try CategoricalCrossentropy(axis: 2).validate(yTrue: yTrue, yPred: yPred))
  }
}
