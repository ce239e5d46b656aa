import Foundation
import SwiftKeras
import TestSupport
import XCTest

@testable import SwiftKerasCore
@testable import SwiftKerasTraining

/// One batch of a metric fixture.
private struct MetricBatch: Decodable {
  let yTrue: FixtureTensor
  let yPred: FixtureTensor
  let sampleWeight: FixtureTensor?

  enum CodingKeys: String, CodingKey {
    case yTrue = "y_true"
    case yPred = "y_pred"
    case sampleWeight = "sample_weight"
  }
}

/// One Keras metric sequence from Scripts/fixtures/losses_metrics.py.
private struct MetricCase: Decodable {
  let id: String
  let kind: String
  let args: [String: ConfigValue]
  let name: String
  let batches: [MetricBatch]
  let results: [[Double?]]
  let afterReset: [Double?]
  let afterResetUpdate: [Double?]

  enum CodingKeys: String, CodingKey {
    case id, kind, args, name, batches, results
    case afterReset = "after_reset"
    case afterResetUpdate = "after_reset_update"
  }
}

private struct MetricFixtures: Decodable {
  let kerasVersion: String
  let cases: [MetricCase]

  enum CodingKeys: String, CodingKey {
    case cases
    case kerasVersion = "keras_version"
  }
}

final class MetricTests: XCTestCase {
  private static let fixtures: MetricFixtures? = {
    guard let data = try? Data(contentsOf: fixtureURL("metrics.json")) else { return nil }
    return try? JSONDecoder().decode(MetricFixtures.self, from: data)
  }()

  /// The Swift metric for a fixture's Keras class and constructor arguments.
  private func makeFixtureMetric(_ c: MetricCase) throws -> any Metric {
    let args = c.args
    let float = { (key: String) in args[key]?.doubleValue.map { Float($0) } }
    switch c.kind {
    case "binary_accuracy": return BinaryAccuracy(threshold: float("threshold") ?? 0.5)
    case "top_k_categorical_accuracy": return TopKCategoricalAccuracy(k: args["k"]?.intValue ?? 5)
    case "sparse_top_k_categorical_accuracy":
      return SparseTopKCategoricalAccuracy(k: args["k"]?.intValue ?? 5)
    case "precision", "recall":
      let thresholds = args["thresholds"]?.arrayValue?.compactMap {
        $0.doubleValue.map { Float($0) }
      }
      let (classId, topK) = (args["class_id"]?.intValue, args["top_k"]?.intValue)
      return c.kind == "precision"
        ? try Precision(thresholds: thresholds, topK: topK, classId: classId)
        : try Recall(thresholds: thresholds, topK: topK, classId: classId)
    case "auc":
      return try AUC(
        numThresholds: args["num_thresholds"]?.intValue ?? 200,
        curve: AUC.Curve(rawValue: args["curve"]?.stringValue ?? "ROC") ?? .roc,
        summationMethod: AUC.SummationMethod(
          rawValue: args["summation_method"]?.stringValue ?? "interpolation") ?? .interpolation,
        multiLabel: args["multi_label"]?.boolValue ?? false,
        labelWeights: args["label_weights"]?.arrayValue?.compactMap {
          $0.doubleValue.map { Float($0) }
        },
        fromLogits: args["from_logits"]?.boolValue ?? false)
    case "f1_score":
      return try F1Score(average: args["average"]?.stringValue, threshold: float("threshold"))
    case "fbeta_score":
      return try FBetaScore(
        average: args["average"]?.stringValue, beta: float("beta") ?? 1,
        threshold: float("threshold"))
    case "r2_score":
      let aggregation: String? =
        args.keys.contains("class_aggregation")
        ? args["class_aggregation"]?.stringValue : "uniform_average"
      return try R2Score(
        classAggregation: aggregation, numRegressors: args["num_regressors"]?.intValue ?? 0)
    case "categorical_crossentropy":
      return LossMetric(
        CategoricalCrossentropy(fromLogits: args["from_logits"]?.boolValue ?? false))
    default:
      return try makeMetric(c.kind)
    }
  }

  private func assertValues(
    _ got: [Float], _ want: [Double?], _ message: String, file: StaticString = #filePath,
    line: UInt = #line
  ) {
    XCTAssertEqual(got.count, want.count, message, file: file, line: line)
    for (i, (g, expected)) in zip(got, want).enumerated() {
      // The fixture writes NaN as null (JSON has no NaN).
      guard let w = expected else {
        XCTAssertTrue(g.isNaN, "\(message) element \(i): \(g) vs NaN", file: file, line: line)
        continue
      }
      XCTAssertEqual(
        Double(g), w, accuracy: 1e-5 * max(1, abs(w)), "\(message) element \(i)", file: file,
        line: line)
    }
  }

  func testMetricSequencesMatchKeras() throws {
    let fixtures = try XCTUnwrap(MetricTests.fixtures, "Tests/Fixtures/metrics.json missing")
    XCTAssertGreaterThan(fixtures.cases.count, 50)
    for c in fixtures.cases {
      let metric = try makeFixtureMetric(c)
      let kerasName = c.name.replacingOccurrences(
        of: "_[0-9]+$", with: "", options: .regularExpression)
      XCTAssertEqual(metric.name, kerasName, c.id)
      func update(_ b: MetricBatch) throws {
        try metric.update(
          yTrue: b.yTrue.tensor, yPred: b.yPred.tensor, sampleWeight: b.sampleWeight?.tensor)
      }
      for (k, (batch, expected)) in zip(c.batches, c.results).enumerated() {
        try update(batch)
        assertValues(metric.resultValues(), expected, "\(c.id) after batch \(k)")
      }
      metric.reset()
      if !c.afterReset.contains(where: { $0 == nil }) {
        assertValues(metric.resultValues(), c.afterReset, "\(c.id) after reset")
      }
      try update(try XCTUnwrap(c.batches.last))
      assertValues(metric.resultValues(), c.afterResetUpdate, "\(c.id) after reset and update")
    }
  }

  func testMetricsNeverRecordOnTheTape() throws {
    let tape = GradientTape()
    let yPred = tape.watch(Tensor([[0.2, 0.8], [0.6, 0.4]]))
    let metrics: [any Metric] = [
      SparseCategoricalAccuracy(), LossMetric(SparseCategoricalCrossentropy()), try AUC(),
      RootMeanSquaredError(),
    ]
    let before = tape.entries.count
    try tape.record {
      for metric in metrics {
        let oneHot = metric is RootMeanSquaredError || metric is AUC
        let labels = oneHot ? Tensor([[0, 1], [1, 0]]) : Tensor([1, 0])
        try metric.update(yTrue: labels, yPred: yPred)
      }
    }
    XCTAssertEqual(tape.entries.count, before)
    XCTAssertEqual(metrics[0].result(), 1)
  }

  func testCustomMetricAveragesClosureValues() throws {
    let metric = CustomMetric(name: "within_half") { yTrue, yPred in
      (abs(yPred - yTrue) .< Float(0.5)).sum(alongAxis: -1) * Float(0.5)  // mean of 2 columns
    }
    // Hand math: batch 1 rows [1, 0] → 0.5 and [1, 1] → 1; batch 2 row [0, 0] → 0.
    try metric.update(
      yTrue: Tensor([[0, 0], [1, 1]]), yPred: Tensor([[0.1, 0.9], [1.2, 0.8]]))
    XCTAssertEqual(metric.result(), 0.75, accuracy: 1e-6)
    try metric.update(yTrue: Tensor([[0, 0]]), yPred: Tensor([[2, 2]]))
    XCTAssertEqual(metric.result(), 0.5, accuracy: 1e-6)
    metric.reset()
    XCTAssertEqual(metric.result(), 0)
  }

  func testMeanWeightsSamples() throws {
    // Hand math: (1·1 + 2·0 + 3·3) / (1 + 0 + 3) = 2.5.
    let mean = Mean()
    try mean.update(Tensor([1, 2, 3]), sampleWeight: Tensor([1, 0, 3]))
    XCTAssertEqual(mean.result(), 2.5, accuracy: 1e-6)
  }

  func testFactoryIdentifiers() throws {
    let names: [String: String] = [
      "sparse_categorical_accuracy": "sparse_categorical_accuracy",
      "SparseCategoricalAccuracy": "sparse_categorical_accuracy",
      "binary_accuracy": "binary_accuracy", "categorical_accuracy": "categorical_accuracy",
      "top_k_categorical_accuracy": "top_k_categorical_accuracy",
      "sparse_top_k_categorical_accuracy": "sparse_top_k_categorical_accuracy",
      "mse": "mean_squared_error", "mae": "mean_absolute_error",
      "mean_squared_error": "mean_squared_error", "MeanAbsoluteError": "mean_absolute_error",
      "root_mean_squared_error": "root_mean_squared_error", "precision": "precision",
      "recall": "recall", "auc": "auc", "AUC": "auc", "f1_score": "f1_score",
      "r2_score": "r2_score", "mean": "mean", "binary_crossentropy": "binary_crossentropy",
    ]
    for (identifier, name) in names {
      XCTAssertEqual(try makeMetric(identifier).name, name, identifier)
    }
    XCTAssertTrue(try makeMetric("mse") is LossMetric)
    for bad in ["accuracy", "acc", "precison"] {
      XCTAssertThrowsError(try makeMetric(bad)) { error in
        XCTAssertEqual((error as? SwiftKerasError)?.kind, .unknownIdentifier, bad)
      }
    }
  }

  func testResolveAccuracyFollowsKerasRule() {
    let binary = resolveAccuracy(
      lossName: "binary_crossentropy", yTrueShape: [32, 1], yPredShape: [32, 1])
    XCTAssertTrue(binary is BinaryAccuracy)
    XCTAssertEqual(binary.name, "accuracy")
    XCTAssertTrue(
      resolveAccuracy(lossName: "mse", yTrueShape: [32], yPredShape: [32, 1]) is BinaryAccuracy)
    XCTAssertTrue(
      resolveAccuracy(lossName: "binary_crossentropy", yTrueShape: [32, 4], yPredShape: [32, 4])
        is BinaryAccuracy)
    XCTAssertTrue(
      resolveAccuracy(
        lossName: "sparse_categorical_crossentropy", yTrueShape: [32], yPredShape: [32, 10])
        is SparseCategoricalAccuracy)
    XCTAssertTrue(
      resolveAccuracy(lossName: "custom", yTrueShape: [32, 1], yPredShape: [32, 10])
        is SparseCategoricalAccuracy)
    XCTAssertTrue(
      resolveAccuracy(
        lossName: "categorical_crossentropy", yTrueShape: [32, 10], yPredShape: [32, 10])
        is CategoricalAccuracy)
    XCTAssertEqual(
      resolveAccuracy(lossName: "mse", yTrueShape: [4, 3], yPredShape: [4, 3], name: "acc").name,
      "acc")
  }

  func testBadInputThrows() throws {
    XCTAssertThrowsError(
      try SparseCategoricalAccuracy().update(
        yTrue: Tensor([0, 1, 2]), yPred: Tensor(repeating: 0.5, shape: [4, 3]))
    ) { error in
      let e = error as? SwiftKerasError
      XCTAssertEqual(e?.kind, .shapeMismatch)
      XCTAssertTrue(e?.message.contains("[3]") ?? false)
      XCTAssertTrue(e?.message.contains("[4, 3]") ?? false)
    }
    XCTAssertThrowsError(
      try CategoricalAccuracy().update(
        yTrue: Tensor(repeating: 0, shape: [4, 2]), yPred: Tensor(repeating: 0.5, shape: [4, 3])))
    XCTAssertThrowsError(
      try BinaryAccuracy().update(
        yTrue: Tensor(repeating: 0, shape: [4, 2]), yPred: Tensor(repeating: 0.5, shape: [4, 3])))
    XCTAssertThrowsError(
      try SparseCategoricalAccuracy().update(
        yTrue: Tensor([0, 1]), yPred: Tensor([[0.5, 0.5], [0.1, 0.9]]),
        sampleWeight: Tensor([1, 2, 3])))
    XCTAssertThrowsError(try F1Score().update(yTrue: Tensor([0, 1]), yPred: Tensor([0.2, 0.8])))
    XCTAssertThrowsError(try F1Score(average: "median"))
    XCTAssertThrowsError(try Precision(thresholds: [1.5]))
    XCTAssertThrowsError(try AUC(numThresholds: 1))
    XCTAssertThrowsError(try AUC(labelWeights: [1, -0.5]))
    // Multi-label mode needs [samples, labels] and keeps the first batch's label count.
    let multi = try AUC(multiLabel: true)
    XCTAssertThrowsError(
      try multi.update(
        yTrue: Tensor([1, 0, 1]), yPred: Tensor([0.9, 0.2, 0.4]), sampleWeight: nil))
    try multi.update(
      yTrue: Tensor([[1, 0], [0, 1]]), yPred: Tensor([[0.8, 0.3], [0.1, 0.7]]), sampleWeight: nil)
    XCTAssertEqual(multi.numLabels, 2)
    XCTAssertThrowsError(
      try multi.update(
        yTrue: Tensor([[1, 0, 1]]), yPred: Tensor([[0.8, 0.3, 0.5]]), sampleWeight: nil))
    XCTAssertThrowsError(
      try AUC(labelWeights: [1, 2]).update(
        yTrue: Tensor([[1, 0, 1]]), yPred: Tensor([[0.8, 0.3, 0.5]]), sampleWeight: nil))
    XCTAssertThrowsError(try R2Score(classAggregation: "sum"))
    XCTAssertThrowsError(
      try LossMetric(SparseCategoricalCrossentropy()).update(
        yTrue: Tensor([0, 5]), yPred: Tensor([[0.5, 0.5], [0.1, 0.9]])))
  }
}
