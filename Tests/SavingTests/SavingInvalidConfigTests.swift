import Foundation
import SwiftKeras
import SwiftKerasCore
import SwiftKerasLayers
import TestSupport
import XCTest

@testable import SwiftKerasModels
@testable import SwiftKerasSaving

/// Layer configs with out-of-range values throw instead of trapping.
final class SavingInvalidConfigTests: XCTestCase {
  private func sequentialJSON(input: String, layer: String) -> String {
    """
    {"class_name": "Sequential", "config": {"name": "bad", "layers": [
      {"class_name": "InputLayer", "config": {"batch_shape": \(input), "name": "x"}},
      \(layer)]}}
    """
  }

  func testOutOfRangeArgumentsThrow() {
    let cases: [(String, String)] = [
      ("[null, 4]", #"{"class_name": "Dense", "config": {"units": -3}}"#),
      ("[null, 4]", #"{"class_name": "Dense", "config": {"units": 0}}"#),
      ("[null, 4]", #"{"class_name": "Embedding", "config": {"input_dim": 10, "output_dim": -2}}"#),
      ("[null, 4]", #"{"class_name": "Embedding", "config": {"input_dim": -10, "output_dim": 2}}"#),
      ("[null, 4]", #"{"class_name": "RepeatVector", "config": {"n": -2}}"#),
      ("[null, 4]", #"{"class_name": "Reshape", "config": {"target_shape": [-3]}}"#),
      ("[null, 4]", #"{"class_name": "Reshape", "config": {"target_shape": [3]}}"#),
      ("[null, 2, 3]", #"{"class_name": "Permute", "config": {"dims": [5, 9]}}"#),
      ("[null, 4]", #"{"class_name": "Softmax", "config": {"axis": 50}}"#),
      ("[null, 4]", #"{"class_name": "LayerNormalization", "config": {"axis": 10}}"#),
      ("[null, 4]", #"{"class_name": "BatchNormalization", "config": {"axis": 7}}"#),
      ("[null, 4]", #"{"class_name": "Dropout", "config": {"rate": 5}}"#),
      ("[null, -4]", #"{"class_name": "Dense", "config": {"units": 2}}"#),
      ("[null, 4]", #"{"class_name": "PReLU", "config": {"shared_axes": [9]}}"#),
    ]
    for (input, layer) in cases {
      XCTAssertThrowsError(try modelFromJSON(sequentialJSON(input: input, layer: layer)), layer)
    }
  }
}
