import Foundation
import SwiftKeras
import SwiftKerasCore
import SwiftKerasLayers
import TestSupport
import XCTest

/// The JSON of `Tests/Fixtures/recurrent.json` (written by `Scripts/fixtures/recurrent.py`).
let recurrentFixtureJSON: FixtureJSON = {
  guard let data = try? Data(contentsOf: fixtureURL("recurrent.json")),
    let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
  else { return FixtureJSON([:]) }
  return FixtureJSON(json)
}()

/// The layer case `id` of recurrent.json, failing the test when it is missing.
func recurrentCase(_ id: String, file: StaticString = #filePath, line: UInt = #line) throws
  -> [String: Any]
{
  guard let layers = recurrentFixtureJSON["layers"] as? [String: Any],
    let raw = layers[id] as? [String: Any]
  else {
    XCTFail("fixture case \(id) missing from Tests/Fixtures/recurrent.json", file: file, line: line)
    throw MissingFixture(id: id)
  }
  return raw
}

/// Asserts two configs agree, ignoring layer names and dtype policies at every depth
/// (Keras's automatic names differ; the dtype is the base class's concern).
func assertNestedConfigMatches(
  _ ours: ConfigValue, _ keras: Any, _ path: String, file: StaticString = #filePath,
  line: UInt = #line
) {
  if case .object(let dict) = ours, let object = keras as? [String: Any] {
    let ignored: Set<String> = ["name", "dtype"]
    XCTAssertEqual(
      Set(dict.keys).subtracting(ignored), Set(object.keys).subtracting(ignored),
      "\(path): keys", file: file, line: line)
    for (key, value) in dict where !ignored.contains(key) {
      guard let theirs = object[key] else { continue }
      assertNestedConfigMatches(value, theirs, "\(path).\(key)", file: file, line: line)
    }
  } else if case .array(let items) = ours, let array = keras as? [Any], items.count == array.count {
    for (i, (a, b)) in zip(items, array).enumerated() {
      assertNestedConfigMatches(a, b, "\(path)[\(i)]", file: file, line: line)
    }
  } else {
    XCTAssertTrue(
      configValue(ours, equals: keras), "\(path) is \(ours), Keras has \(keras)", file: file,
      line: line)
  }
}

/// The largest absolute difference between two same-shaped tensors.
func maxAbsDifference(_ a: Tensor, _ b: Tensor) -> Float {
  zip(a.scalars, b.scalars).reduce(0) { Swift.max($0, abs($1.0 - $1.1)) }
}

/// Recurrent layers against Keras: each case builds the layer from Keras's own config,
/// sets Keras's weights, and compares every output (within 1e-5), the inferred output
/// shapes, the parameter count, the config, and TensorFlow's gradients (within 1e-4) of
/// `Σ_k sum(output_k * projection_k)` with respect to the input, the initial states and
/// every weight.
final class RecurrentFixtureTests: XCTestCase {
  /// The largest differences seen, printed for the record.
  static let report = ReportCollector()

  override class func tearDown() {
    report.print()
    super.tearDown()
  }

  /// Runs case `id` and returns the layer.
  @discardableResult
  func check(
    _ id: String, shapesFromOutputs: Bool = false, file: StaticString = #filePath,
    line: UInt = #line
  ) throws -> Layer {
    try checkRecurrentCase(
      try recurrentCase(id, file: file, line: line), id: id, report: Self.report,
      shapesFromOutputs: shapesFromOutputs, file: file, line: line)
  }

  func testSimpleRNN() throws {
    try check("simple_rnn")
    try check("simple_rnn_sequences_backwards")
    try check("simple_rnn_state")
  }

  func testLSTM() throws {
    try check("lstm")
    try check("lstm_sequences_state")
    try check("lstm_backwards")
    try check("lstm_activations")
  }

  func testLSTMMasked() throws {
    try check("lstm_masked")
    try check("lstm_masked_sequences_state")
    try check("lstm_masked_backwards")
  }

  func testInitialStates() throws {
    try check("lstm_initial_state")
    try check("gru_initial_state")
  }

  func testGRUResetAfter() throws {
    try check("gru")
    try check("gru_masked_state")
    try check("gru_no_bias_backwards")
  }

  func testGRUResetBefore() throws {
    let layer = try check("gru_reset_before")
    XCTAssertEqual((layer as? GRU)?.cell.bias?.shape, [12])
    try check("gru_reset_before_sequences_masked")
  }

  func testGenericRNN() throws {
    try check("rnn_lstm_cell")
    try check("rnn_stacked")
  }

  func testBidirectional() throws {
    for mode in ["concat", "sum", "mul", "ave"] { try check("bidirectional_lstm_\(mode)") }
    try check("bidirectional_gru_none")
    try check("bidirectional_gru_masked")
    try check("bidirectional_lstm_masked_last")
    try check("bidirectional_backward_layer", shapesFromOutputs: true)
  }

  func testTimeDistributed() throws {
    try check("time_distributed_dense")
  }

  func testStatefulCarriesStatesUntilReset() throws {
    let raw = try recurrentCase("lstm_stateful")
    let config = try JSONDecoder().decode(
      ConfigValue.self,
      from: JSONSerialization.data(withJSONObject: try XCTUnwrap(raw["config"] as? [String: Any])))
    let layer = try LSTM(config: LayerConfig(className: "LSTM", values: config.objectValue ?? [:]))
    XCTAssertTrue(layer.stateful)
    let inputs = (raw["inputs"] as? [Any] ?? []).map(tensor(from:))
    let outputs = (raw["outputs"] as? [Any] ?? []).map(tensor(from:))
    try layer.ensureBuilt(inputShapes: [[2, 4, 3]])
    try layer.setWeights(
      (raw["weights"] as? [[String: Any]] ?? []).map { tensor(from: $0["value"] as Any) })
    assertClose(try layer(inputs[0]), outputs[0], tolerance: 1e-5, "first batch")
    assertClose(try layer(inputs[1]), outputs[1], tolerance: 1e-5, "second batch, carried states")
    layer.resetStates()
    assertClose(try layer(inputs[1]), outputs[2], tolerance: 1e-5, "after resetStates")
    XCTAssertThrowsError(try layer(Tensor.zeros([3, 4, 3]))) { error in
      XCTAssertTrue("\(error)".contains("stateful with batch size 2"), "\(error)")
    }
  }
}

/// Collects the largest differences per kind and case, and prints them once.
final class ReportCollector: @unchecked Sendable {
  private let lock = NSLock()
  /// The fixture family named in the printed lines.
  private let label: String

  /// A collector whose lines name `label`.
  init(label: String = "recurrent") { self.label = label }
  private var worst: [String: Float] = [:]

  /// Records a difference of `kind` (forward, gradient) for case `id`.
  func record(_ kind: String, _ id: String, _ difference: Float) {
    lock.lock()
    defer { lock.unlock() }
    worst[kind] = Swift.max(worst[kind] ?? 0, difference)
    worst["\(kind) \(id)"] = Swift.max(worst["\(kind) \(id)"] ?? 0, difference)
  }

  /// Prints the maxima.
  func print() {
    lock.lock()
    defer { lock.unlock() }
    for (key, value) in worst.sorted(by: { $0.key < $1.key }) {
      Swift.print("\(label) fixture max abs diff \(key): \(value)")
    }
  }
}

/// Checks one recurrent layer case of a fixture file (recurrent.json, convlstm.json):
/// builds the layer from Keras's own config, sets Keras's weights, and compares every
/// output (within 1e-5), the inferred output shapes, the parameter count, the config, and
/// TensorFlow's gradients (within 1e-4) of `Σ_k sum(output_k * projection_k)` with respect
/// to the input, the initial states and every weight. Returns the layer.
@discardableResult
func checkRecurrentCase(
  _ raw: [String: Any], id: String, report: ReportCollector, shapesFromOutputs: Bool = false,
  file: StaticString = #filePath, line: UInt = #line
) throws -> Layer {
  let className = try XCTUnwrap(raw["class_name"] as? String)
  let kerasConfig = try XCTUnwrap(raw["config"] as? [String: Any])
  let configJSON = try JSONSerialization.data(withJSONObject: kerasConfig)
  let config = try JSONDecoder().decode(ConfigValue.self, from: configJSON)
  let type = try XCTUnwrap(builtInLayerType(named: className), "\(className) is built in")
  let layer = try type.init(
    config: LayerConfig(className: className, values: config.objectValue ?? [:]))

  let x = tensor(from: (raw["inputs"] as? [Any])?.first as Any)
  let states = (raw["initial_state"] as? [Any] ?? []).map(tensor(from:))
  let mask = raw["mask"].map(tensor(from:))
  let symbolic: [Shape] =
    [[nil] + x.shape.dropFirst().map { Optional($0) }]
    + states.map { [nil] + $0.shape.dropFirst().map { Optional($0) } }
  try layer.ensureBuilt(inputShapes: symbolic)
  let weights = raw["weights"] as? [[String: Any]] ?? []
  XCTAssertEqual(
    layer.weights.map { $0.name }, weights.compactMap { $0["name"] as? String },
    "\(id): weight names", file: file, line: line)
  try layer.setWeights(weights.map { tensor(from: $0["value"] as Any) })
  XCTAssertEqual(
    layer.countParams(), raw["param_count"] as? Int, "\(id): parameters", file: file, line: line)

  let outputs = try layer.callOutputs([x] + states, mask: mask, training: false)
  let expected = (raw["outputs"] as? [Any] ?? []).map(tensor(from:))
  XCTAssertEqual(outputs.count, expected.count, "\(id): outputs", file: file, line: line)
  for (k, (ours, theirs)) in zip(outputs, expected).enumerated() {
    assertClose(ours, theirs, tolerance: 1e-5, "\(id) output \(k)", file: file, line: line)
    report.record("forward", id, maxAbsDifference(ours, theirs))
  }
  // Keras infers a concat of different forward and backward widths as twice the
  // forward width; the real output (and SwiftKeras's inferred shape) has their sum.
  let shapes =
    shapesFromOutputs
    ? expected.map { [nil] + $0.shape.dropFirst().map { Optional($0) } }
    : (raw["compute_output_shapes"] as? [[Any]] ?? []).map { $0.map { $0 as? Int } }
  XCTAssertEqual(
    try layer.symbolicOutputShapes(inputShapes: symbolic), shapes, "\(id): output shapes",
    file: file, line: line)
  assertNestedConfigMatches(.object(layer.getConfig()), kerasConfig, id, file: file, line: line)

  let projections = (raw["projections"] as? [Any] ?? []).map(tensor(from:))
  let tape = GradientTape(persistent: true)
  let watched = ([x] + states).map { tape.watch($0) }
  let objective = try tape.record { () throws -> Tensor in
    let ys = try layer.callOutputs(watched, mask: mask, training: false)
    return zip(ys, projections).map { ($0 * $1).sum() }.reduce(Tensor(0), +)
  }
  let inputGrads = tape.gradient(of: objective, wrt: watched, unconnected: .zero)
  let expectedInputs =
    [tensor(from: raw["input_gradient"] as Any)]
    + (raw["state_gradients"] as? [Any] ?? []).map(tensor(from:))
  for (k, (ours, theirs)) in zip(inputGrads, expectedInputs).enumerated() {
    guard let ours else {
      XCTFail("\(id): no gradient for input \(k)", file: file, line: line)
      continue
    }
    assertClose(
      ours, theirs, tolerance: 1e-4, "\(id) input \(k) gradient", file: file, line: line)
    report.record("gradient", id, maxAbsDifference(ours, theirs))
  }
  let trainable = layer.trainableWeights
  let expectedWeights = (raw["weight_gradients"] as? [Any] ?? []).map(tensor(from:))
  XCTAssertEqual(trainable.count, expectedWeights.count, "\(id): trainable weights")
  for (variable, (ours, theirs)) in zip(
    trainable,
    zip(tape.gradient(of: objective, wrt: trainable, unconnected: .zero), expectedWeights))
  {
    guard let ours else {
      XCTFail("\(id): no gradient for \(variable.name)", file: file, line: line)
      continue
    }
    assertClose(
      ours, theirs, tolerance: 1e-4, "\(id) gradient of \(variable.name)", file: file, line: line)
    report.record("gradient", id, maxAbsDifference(ours, theirs))
  }
  return layer
}
