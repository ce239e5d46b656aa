import Foundation
import SwiftKeras
import SwiftKerasCore
import SwiftKerasLayers
import TestSupport
import XCTest

/// The JSON of `Tests/Fixtures/attention.json` (written by `Scripts/fixtures/attention.py`).
let attentionFixtureJSON: FixtureJSON = {
  guard let data = try? Data(contentsOf: fixtureURL("attention.json")),
    let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
  else { return FixtureJSON([:]) }
  return FixtureJSON(json)
}()

/// Attention layers against Keras: each case builds the layer from Keras's config, sets
/// Keras's weights, calls it with Keras's tensors, masks and options, and compares every
/// output (within 1e-5), the parameter count, the config and TensorFlow's gradients
/// (within 1e-4) of `Σ_k sum(output_k * projection_k)` with respect to every input and
/// every weight.
final class AttentionFixtureTests: XCTestCase {
  /// The largest differences seen, printed for the record.
  static let report = ReportCollector(label: "attention")

  override class func tearDown() {
    report.print()
    super.tearDown()
  }

  func check(_ id: String, file: StaticString = #filePath, line: UInt = #line) throws {
    guard let layers = attentionFixtureJSON["layers"] as? [String: Any],
      let raw = layers[id] as? [String: Any]
    else {
      XCTFail(
        "fixture case \(id) missing from Tests/Fixtures/attention.json", file: file, line: line)
      return
    }
    let className = try XCTUnwrap(raw["class_name"] as? String)
    let kerasConfig = try XCTUnwrap(raw["config"] as? [String: Any])
    let configJSON = try JSONSerialization.data(withJSONObject: kerasConfig)
    let config = try JSONDecoder().decode(ConfigValue.self, from: configJSON)
    let type = try XCTUnwrap(builtInLayerType(named: className), "\(className) is built in")
    let layer = try type.init(
      config: LayerConfig(className: className, values: config.objectValue ?? [:]))

    let style = try XCTUnwrap(raw["style"] as? String)
    let roles = try XCTUnwrap(raw["roles"] as? [String])
    let values = try XCTUnwrap(raw["inputs"] as? [String: Any])
    let maskValues = raw["masks"] as? [String: Any] ?? [:]
    let inputs = roles.map { tensor(from: values[$0] as Any) }
    var masks: [Tensor?] = roles.map { maskValues[$0].map(tensor(from:)) }
    var arguments = CallArguments(
      options: ((raw["options"] as? [String: Any]) ?? [:]).mapValues {
        .bool(($0 as? Bool) ?? false)
      })
    var allInputs = inputs
    if let attentionMask = raw["attention_mask"] {
      allInputs.append(tensor(from: attentionMask))
      masks.append(nil)
      arguments.tensorKeywords.append("attention_mask")
    }
    if roles.contains("key") && style == "separate" {
      // MultiHeadAttention's key is a keyword argument in Keras.
      arguments.tensorKeywords.insert("key", at: 0)
    }
    let symbolic: [Shape] = inputs.map { [nil] + $0.shape.dropFirst().map { Optional($0) } }
    try layer.ensureBuilt(inputShapes: symbolic)
    let weights = raw["weights"] as? [[String: Any]] ?? []
    XCTAssertEqual(
      layer.weights.map { $0.name }, weights.compactMap { $0["name"] as? String },
      "\(id): weight names", file: file, line: line)
    try layer.setWeights(weights.map { tensor(from: $0["value"] as Any) })
    XCTAssertEqual(
      layer.countParams(), raw["param_count"] as? Int, "\(id): parameters", file: file, line: line)
    assertNestedConfigMatches(.object(layer.getConfig()), kerasConfig, id, file: file, line: line)

    func run(_ xs: [Tensor]) throws -> [Tensor] {
      style == "single"
        ? [try layer(xs[0])]
        : try layer.callOutputs(xs, masks: masks, arguments: arguments, training: false)
    }
    let outputs = try run(allInputs)
    let expected = (raw["outputs"] as? [Any] ?? []).map(tensor(from:))
    XCTAssertEqual(outputs.count, expected.count, "\(id): outputs", file: file, line: line)
    for (k, (ours, theirs)) in zip(outputs, expected).enumerated() {
      assertClose(ours, theirs, tolerance: 1e-5, "\(id) output \(k)", file: file, line: line)
      Self.report.record("forward", id, maxAbsDifference(ours, theirs))
    }
    if style == "single", let shape = raw["compute_output_shape"] as? [Any] {
      XCTAssertEqual(
        try layer.computeOutputShape(inputShapes: symbolic), shape.map { $0 as? Int },
        "\(id): output shape", file: file, line: line)
    }

    let projections = (raw["projections"] as? [Any] ?? []).map(tensor(from:))
    let tape = GradientTape(persistent: true)
    let watched = inputs.map { tape.watch($0) }
    let objective = try tape.record { () throws -> Tensor in
      let ys = try run(watched + allInputs.dropFirst(inputs.count))
      return zip(ys, projections).map { ($0 * $1).sum() }.reduce(Tensor(0), +)
    }
    let inputGrads = tape.gradient(of: objective, wrt: watched, unconnected: .zero)
    let expectedInputGrads = try XCTUnwrap(raw["input_gradients"] as? [String: Any])
    for (role, grad) in zip(roles, inputGrads) {
      let theirs = tensor(from: expectedInputGrads[role] as Any)
      guard let ours = grad else {
        XCTFail("\(id): no gradient for \(role)", file: file, line: line)
        continue
      }
      assertClose(
        ours, theirs, tolerance: 1e-4, "\(id) gradient of \(role)", file: file, line: line)
      Self.report.record("gradient", id, maxAbsDifference(ours, theirs))
    }
    let expectedWeights = (raw["weight_gradients"] as? [Any] ?? []).map(tensor(from:))
    let trainable = layer.trainableWeights
    XCTAssertEqual(trainable.count, expectedWeights.count, "\(id): weights", file: file, line: line)
    for (variable, (grad, theirs)) in zip(
      trainable,
      zip(tape.gradient(of: objective, wrt: trainable, unconnected: .zero), expectedWeights))
    {
      guard let ours = grad else {
        XCTFail("\(id): no gradient for \(variable.name)", file: file, line: line)
        continue
      }
      assertClose(
        ours, theirs, tolerance: 1e-4, "\(id) gradient of \(variable.name)", file: file, line: line)
      Self.report.record("gradient", id, maxAbsDifference(ours, theirs))
    }
  }

  func testEinsumDense() throws {
    for id in [
      "einsum_abc_cde_abde", "einsum_abcd_cde_abe", "einsum_ab_bc_ac_tanh", "einsum_ellipsis",
      "einsum_abc_cd_abd_nobias", "einsum_abc_bcd_ad", "einsum_bias_middle",
      "einsum_right_ellipsis",
    ] {
      try check(id)
    }
  }

  func testMultiHeadAttention() throws {
    for id in [
      "mha_basic", "mha_key_value_dim_output_shape", "mha_causal", "mha_scores",
      "mha_causal_scores", "mha_masked", "mha_masked_scores", "mha_masked_causal",
      "mha_attention_mask", "mha_no_bias", "mha_rank4", "mha_rank4_axis2",
    ] {
      try check(id)
    }
  }

  func testAttentionAndAdditiveAttention() throws {
    for id in [
      "attention_dot", "attention_scale_key_scores", "attention_concat_masked_causal",
      "additive_attention", "additive_attention_masked_key",
    ] {
      try check(id)
    }
  }

  func testGroupedQueryAttention() throws {
    for id in ["gqa_basic", "gqa_causal_scores", "gqa_masked"] { try check(id) }
  }
}
