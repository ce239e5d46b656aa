import Foundation
import SwiftKeras
import TestSupport
import XCTest

@testable import SwiftKerasCore
@testable import SwiftKerasTraining

/// Metric objects as Keras 3 serializes them in `compile_config` (fixtures written by
/// `Scripts/fixtures/metric_configs.py` with real Keras): SwiftKeras reads them with their
/// arguments and writes the same configs back.
final class MetricConfigTests: XCTestCase {
  private struct Case {
    let serialized: ConfigValue
    let config: ConfigValue
  }

  private func cases() throws -> [String: Case] {
    let text = try String(contentsOf: fixtureURL("metric_configs.json"), encoding: .utf8)
    let root = try ConfigValue.parse(json: text)
    guard let cases = root["cases"]?.objectValue else {
      XCTFail("metric_configs.json has no cases")
      return [:]
    }
    return cases.compactMapValues { value in
      guard let serialized = value["serialized"], let config = value["config"] else { return nil }
      return Case(serialized: serialized, config: config)
    }
  }

  /// Equal configs, numbers compared at float precision.
  private func same(_ a: ConfigValue, _ b: ConfigValue) -> Bool {
    if let x = a.doubleValue, let y = b.doubleValue, a.boolValue == nil, b.boolValue == nil {
      return abs(x - y) <= 1e-6 * max(1, abs(y))
    }
    if let x = a.arrayValue, let y = b.arrayValue {
      return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
    }
    if let x = a.objectValue, let y = b.objectValue {
      return Set(x.keys) == Set(y.keys) && x.keys.allSatisfy { same(x[$0]!, y[$0]!) }
    }
    return a == b
  }

  func testKerasSerializedMetricsLoadWithTheirArguments() throws {
    let all = try cases()
    XCTAssertEqual(all.count, 12)
    for (id, c) in all {
      let metric = try makeMetric(config: c.serialized)
      XCTAssertEqual(
        String(describing: type(of: metric)), c.serialized["class_name"]?.stringValue, id)
      XCTAssertTrue(
        same(metric.getConfig(), c.config), "\(id): \(metric.getConfig()) vs \(c.config)")
      // Written back, the object serializes as Keras's (label weights as a plain list).
      var expected = c.serialized
      if case .object(var fields) = expected, case .object(_) = fields["config"] ?? nil {
        fields["config"] = c.config
        expected = .object(fields)
      }
      XCTAssertTrue(same(serializedMetric(metric), expected), "\(id): serialized")
    }
  }

  func testArgumentsTakeEffect() throws {
    let all = try cases()
    let precision = try XCTUnwrap(
      try all["precision_top_k"].map { try makeMetric(config: $0.serialized) } as? Precision)
    XCTAssertEqual(precision.topK, 2)
    XCTAssertEqual(precision.name, "p_top2")
    let auc = try XCTUnwrap(
      try all["auc_multi_label"].map { try makeMetric(config: $0.serialized) } as? AUC)
    XCTAssertEqual(auc.curve, .pr)
    XCTAssertTrue(auc.multiLabel)
    XCTAssertEqual(auc.labelWeights, [0.5, 1, 2])
    XCTAssertEqual(auc.numThresholds, 50)
  }

  func testIdentifiersAndBadConfigs() {
    XCTAssertTrue((try? makeMetric(config: "auc")) is AUC)
    XCTAssertThrowsError(try makeMetric(config: ["class_name": "NoSuchMetric", "config": [:]]))
    XCTAssertThrowsError(try makeMetric(config: ["config": ["name": "x"]]))
    XCTAssertThrowsError(
      try makeMetric(config: ["class_name": "Precision", "config": ["top_k": "two"]])
    ) { error in
      XCTAssertTrue("\(error)".contains("top_k"), "\(error)")
    }
    XCTAssertThrowsError(
      try makeMetric(config: ["class_name": "AUC", "config": ["thresholds": [0.2, 0.5]]]))
  }
}
