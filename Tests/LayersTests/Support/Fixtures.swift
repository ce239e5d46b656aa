import Foundation
import SwiftKeras
import SwiftKerasCore
import TestSupport
import XCTest

/// One Keras reference case of `Tests/Fixtures/layers.json` (written by
/// `Scripts/fixtures/layers.py`).
/// Read-only once parsed, so the global table can be shared across test threads.
struct LayerCase: @unchecked Sendable {
  let raw: [String: Any]

  /// The Keras config.
  var config: [String: Any] { raw["config"] as? [String: Any] ?? [:] }
  /// The inputs, as Float tensors (integer inputs included).
  var inputs: [Tensor] { (raw["inputs"] as? [Any] ?? []).map(tensor(from:)) }
  /// The weight values in `layer.weights` order.
  var weights: [Tensor] {
    (raw["weights"] as? [[String: Any]] ?? []).map { tensor(from: $0["value"] as Any) }
  }
  /// The weight names in order.
  var weightNames: [String] {
    (raw["weights"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
  }
  /// The inference output.
  var output: Tensor { tensor(from: raw["output"] as Any) }
  /// The training-mode output, when recorded.
  var trainingOutput: Tensor? { raw["training_output"].map(tensor(from:)) }
  /// The weights after the training call, when recorded.
  var weightsAfterTraining: [Tensor]? {
    (raw["weights_after_training_call"] as? [[String: Any]])?.map {
      tensor(from: $0["value"] as Any)
    }
  }
  /// Keras's `compute_output_shape` for the inputs with the batch axis unknown.
  var computedOutputShape: [Int?] {
    (raw["compute_output_shape"] as? [Any] ?? []).map { $0 as? Int }
  }
  /// The layer's losses after the inference call.
  var losses: [Float] { (raw["losses"] as? [Double] ?? []).map { Float($0) } }
}

/// All cases of layers.json by id.
let layerFixtures: [String: LayerCase] = {
  guard let data = try? Data(contentsOf: fixtureURL("layers.json")),
    let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
    let layers = json["layers"] as? [String: Any]
  else { return [:] }
  return layers.compactMapValues { ($0 as? [String: Any]).map(LayerCase.init(raw:)) }
}()

/// The case `id`, failing the test when it is missing.
func fixture(_ id: String, file: StaticString = #filePath, line: UInt = #line) throws -> LayerCase {
  guard let found = layerFixtures[id] else {
    XCTFail("fixture case \(id) missing from Tests/Fixtures/layers.json", file: file, line: line)
    throw MissingFixture(id: id)
  }
  return found
}

/// Thrown when a fixture case is missing (after recording a failure).
struct MissingFixture: Error {
  let id: String
}
