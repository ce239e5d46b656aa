import Foundation
import SwiftKeras
import SwiftKerasCore
import SwiftKerasLayers
import TestSupport
import XCTest

/// The JSON of `Tests/Fixtures/conv.json` (written by `Scripts/fixtures/conv.py`).
let convFixtureJSON: FixtureJSON = {
  guard let data = try? Data(contentsOf: fixtureURL("conv.json")),
    let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
  else { return FixtureJSON([:]) }
  return FixtureJSON(json)
}()

/// The layer case `id` of conv.json, failing the test when it is missing.
func convCase(_ id: String, file: StaticString = #filePath, line: UInt = #line) throws -> LayerCase
{
  guard let layers = convFixtureJSON["layers"] as? [String: Any],
    let raw = layers[id] as? [String: Any]
  else {
    XCTFail("fixture case \(id) missing from Tests/Fixtures/conv.json", file: file, line: line)
    throw MissingFixture(id: id)
  }
  return LayerCase(raw: raw)
}

/// The reference model record `id` of conv.json.
func convModel(_ id: String) -> [String: Any] {
  (convFixtureJSON["models"] as? [String: Any])?[id] as? [String: Any] ?? [:]
}

/// Checks `layer` against the Keras case `id`: weight names, inference output, inferred
/// output shape and config, then the tape's gradients of `sum(output * projection)` with
/// respect to the input and every trainable weight against TensorFlow's.
func checkConvAgainstKeras(
  _ id: String, _ layer: Layer, tolerance: Float = 1e-4,
  file: StaticString = #filePath, line: UInt = #line
) throws {
  let reference = try convCase(id, file: file, line: line)
  let input = reference.inputs[0]
  let symbolic: [Shape] = [[nil] + input.shape.dropFirst().map { Optional($0) }]
  try layer.ensureBuilt(inputShapes: symbolic)
  XCTAssertEqual(
    layer.weights.map { $0.name }, reference.weightNames, "\(id): weight names", file: file,
    line: line)
  if !reference.weights.isEmpty { try layer.setWeights(reference.weights) }
  let output = try layer(input, training: false)
  assertClose(
    output, reference.output, tolerance: tolerance, "\(id) output", file: file, line: line)
  XCTAssertEqual(
    try layer.computeOutputShape(inputShapes: symbolic), reference.computedOutputShape,
    "\(id): output shape without data", file: file, line: line)
  assertConfigMatches(layer.getConfig(), reference.config, id, file: file, line: line)

  let projection = tensor(from: reference.raw["projection"] as Any)
  let tape = GradientTape(persistent: true)
  let watched = tape.watch(input)
  let objective = try tape.record { (try layer(watched, training: false) * projection).sum() }
  let inputGrad = tape.gradient(of: objective, wrt: [watched], unconnected: .zero)[0]
  let expectedInputGrad = tensor(from: reference.raw["input_gradient"] as Any)
  if let inputGrad {
    assertClose(
      inputGrad, expectedInputGrad, tolerance: tolerance, "\(id) input gradient", file: file,
      line: line)
  } else {
    XCTFail("\(id): no input gradient", file: file, line: line)
  }
  let expectedWeightGrads = (reference.raw["weight_gradients"] as? [Any] ?? []).map(
    tensor(from:))
  let weights = layer.trainableWeights
  XCTAssertEqual(weights.count, expectedWeightGrads.count, "\(id): trainable weights")
  let grads = tape.gradient(of: objective, wrt: weights, unconnected: .zero)
  for (k, (grad, expected)) in zip(grads, expectedWeightGrads).enumerated() {
    guard let grad else {
      XCTFail("\(id): no gradient for weight \(k)", file: file, line: line)
      continue
    }
    assertClose(
      grad, expected, tolerance: tolerance, "\(id) gradient of \(weights[k].name)", file: file,
      line: line)
  }
}
