import Foundation
import SwiftKeras
import TestSupport
import XCTest

@testable import SwiftKerasCore
@testable import SwiftKerasLayers

/// Dense, its regularizers and the weight constraints against real Keras 3
/// (Tests/Fixtures/layers.json from Scripts/fixtures/layers.py).
final class DenseTests: XCTestCase {
  func testForwardMatchesKeras() throws {
    try checkAgainstKeras("dense_linear", Dense(4))
    try checkAgainstKeras("dense_relu", Dense(4, activation: .relu))
    try checkAgainstKeras("dense_linear_no_bias", Dense(4, useBias: false))
    try checkAgainstKeras("dense_relu_no_bias", Dense(4, activation: .relu, useBias: false))
  }

  func testRegularizationLossesMatchKeras() throws {
    let cases: [(String, Dense)] = [
      ("dense_kernel_l1", Dense(4, kernelRegularizer: L1(0.01))),
      ("dense_kernel_l2", Dense(4, kernelRegularizer: L2(0.01))),
      ("dense_kernel_l1l2", Dense(4, kernelRegularizer: L1L2(l1: 0.01, l2: 0.01))),
      (
        "dense_kernel_and_bias_l2", Dense(4, kernelRegularizer: L2(0.01), biasRegularizer: L1(0.02))
      ),
      ("dense_activity_l2", Dense(4, activityRegularizer: L2(0.01))),
    ]
    for (id, layer) in cases {
      let reference = try checkAgainstKeras(id, layer)
      let losses = layer.losses.map { $0.scalar }
      XCTAssertEqual(losses.count, reference.losses.count, id)
      for (ours, theirs) in zip(losses, reference.losses) {
        XCTAssertEqual(ours, theirs, accuracy: 1e-5 * max(1, abs(theirs)), id)
      }
    }
  }

  func testConstraintsMatchKeras() throws {
    let json = try XCTUnwrap(
      try JSONSerialization.jsonObject(with: Data(contentsOf: fixtureURL("layers.json")))
        as? [String: Any])
    let constraints = try XCTUnwrap(json["constraints"] as? [String: Any])
    let input = tensor(from: constraints["input"] as Any)
    let cases = try XCTUnwrap(constraints["cases"] as? [String: [String: Any]])
    let ours: [String: any Constraint] = [
      "max_norm_2": MaxNorm(maxValue: 2), "max_norm_2_axis_1": MaxNorm(maxValue: 2, axis: 1),
      "non_neg": NonNeg(), "unit_norm": UnitNorm(), "unit_norm_axis_1": UnitNorm(axis: 1),
      "min_max_norm": MinMaxNorm(minValue: 0.5, maxValue: 1.5),
      "min_max_norm_rate_0_5": MinMaxNorm(minValue: 0.5, maxValue: 1.5, rate: 0.5),
    ]
    XCTAssertEqual(Set(cases.keys), Set(ours.keys))
    for (id, constraint) in ours {
      let expected = tensor(from: cases[id]?["output"] as Any)
      assertClose(constraint(input), expected, tolerance: 1e-5, id)
      XCTAssertEqual(constraint.className, cases[id]?["class_name"] as? String, id)
    }
  }

  func testGradientsMatchFiniteDifferences() throws {
    try assertLayerGradientsMatchFiniteDifferences(
      Dense(3, activation: .tanh), [testInput([4, 5], seed: 3)])
    // The fused paths: one sgemm onto the bias, relu in place, one tape entry.
    try assertLayerGradientsMatchFiniteDifferences(
      Dense(3, activation: .relu), [testInput([4, 5], seed: 11)], epsilon: 1e-3)
    try assertLayerGradientsMatchFiniteDifferences(
      Dense(3, useBias: false), [testInput([4, 5], seed: 6)])
    // Rank 3: the kernel applies to the last axis.
    try assertLayerGradientsMatchFiniteDifferences(Dense(2), [testInput([2, 3, 4], seed: 4)])
  }

  func testBadUnitsAndInputsThrow() throws {
    XCTAssertThrowsError(try Dense(0)(Tensor.zeros([2, 3])))
    let layer = Dense(2, name: "proj")
    _ = try layer(Tensor.zeros([2, 3]))
    XCTAssertThrowsError(try layer(Tensor.zeros([2, 4]))) { error in
      XCTAssertTrue("\(error)".contains("proj") && "\(error)".contains("(None, 3)"), "\(error)")
    }
  }

  func testAnInitializerThatCannotFillTheKernelThrows() throws {
    // Orthogonal needs rank 2 or more: a rank-1 weight asked of it must throw, not trap.
    final class VectorWeight: Layer {
      override func build(inputShape: Shape) throws {
        addWeight(name: "v", shape: [3], initializer: Orthogonal())
      }
      override func call(_ x: Tensor, training: Bool) throws -> Tensor { x }
    }
    let layer = VectorWeight(name: "vec")
    XCTAssertThrowsError(try layer(Tensor.zeros([2, 3]))) { error in
      XCTAssertTrue("\(error)".contains("vec") && "\(error)".contains("'v'"), "\(error)")
    }
    XCTAssertFalse(layer.built)
  }

  func testAutoNamingFollowsKeras() {
    clearSession()
    XCTAssertEqual(Dense(1).name, "dense")
    XCTAssertEqual(Dense(1).name, "dense_1")
    XCTAssertEqual(BatchNormalization().name, "batch_normalization")
    XCTAssertEqual(PReLU().name, "p_re_lu")
    XCTAssertEqual(GlobalAveragePooling1D().name, "global_average_pooling1d")
  }
}
