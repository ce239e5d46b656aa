import Foundation
import SwiftKeras
import SwiftKerasCore
import SwiftKerasLayers
import TestSupport
import XCTest

/// Runs `layer` on a Keras case: builds it for the case's inputs, sets the case's weights,
/// and checks the inference output, the shape inferred without data and the config keys
/// against Keras. Returns the case for further checks.
@discardableResult
func checkAgainstKeras(
  _ id: String, _ layer: Layer, tolerance: Float = 1e-5,
  file: StaticString = #filePath, line: UInt = #line
) throws -> LayerCase {
  let reference = try fixture(id, file: file, line: line)
  let inputs = reference.inputs
  let symbolicShapes: [Shape] = inputs.map { [nil] + $0.shape.dropFirst().map { Optional($0) } }
  try layer.ensureBuilt(inputShapes: symbolicShapes)
  XCTAssertEqual(
    layer.weights.map { $0.name }, reference.weightNames, "\(id): weight names", file: file,
    line: line)
  if !reference.weights.isEmpty { try layer.setWeights(reference.weights) }
  let output = try layer(inputs, training: false)
  assertClose(
    output, reference.output, tolerance: tolerance, "\(id) output", file: file, line: line)
  let inferred = try layer.computeOutputShape(inputShapes: symbolicShapes)
  XCTAssertEqual(
    inferred, reference.computedOutputShape, "\(id): output shape without data", file: file,
    line: line)
  assertConfigMatches(layer.getConfig(), reference.config, id, file: file, line: line)
  return reference
}

/// Asserts that a config has Keras's keys and values, except the layer name (tests
/// create layers with automatic names) and the dtype policy (the base class's concern).
func assertConfigMatches(
  _ ours: [String: ConfigValue], _ keras: [String: Any], _ id: String,
  file: StaticString = #filePath, line: UInt = #line
) {
  let ignored: Set<String> = ["name", "dtype"]
  let kerasKeys = Set(keras.keys).subtracting(ignored)
  let ourKeys = Set(ours.keys).subtracting(ignored)
  XCTAssertEqual(ourKeys, kerasKeys, "\(id): config keys", file: file, line: line)
  for key in kerasKeys.intersection(ourKeys) {
    XCTAssertTrue(
      configValue(ours[key]!, equals: keras[key]!),
      "\(id): config[\(key)] is \(ours[key]!), Keras has \(keras[key]!)",
      file: file, line: line)
  }
}

/// Whether a ConfigValue equals a JSON value (numbers within float precision).
func configValue(_ value: ConfigValue, equals json: Any) -> Bool {
  switch value {
  case .null: return json is NSNull
  case .bool(let b): return (json as? Bool) == b
  case .int(let i):
    guard let n = json as? NSNumber else { return false }
    return n.doubleValue == Double(i)
  case .double(let d):
    guard let n = json as? NSNumber else { return false }
    return abs(n.doubleValue - d) <= 1e-6 * max(1, abs(d))
  case .string(let s): return (json as? String) == s
  case .array(let items):
    guard let array = json as? [Any], array.count == items.count else { return false }
    return zip(items, array).allSatisfy { configValue($0, equals: $1) }
  case .object(let dict):
    guard let object = json as? [String: Any], Set(object.keys) == Set(dict.keys) else {
      return false
    }
    return dict.allSatisfy { key, v in configValue(v, equals: object[key]!) }
  }
}
