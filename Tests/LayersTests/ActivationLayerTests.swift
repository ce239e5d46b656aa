import SwiftKeras
import SwiftKerasCore
import SwiftKerasLayers
import TestSupport
import XCTest

final class ActivationLayerTests: XCTestCase {
  func testActivationLayerMatchesKeras() throws {
    let cases: [(String, ActivationFunction)] = [
      ("relu", .relu), ("sigmoid", .sigmoid), ("softmax", .softmax), ("linear", .linear),
    ]
    for (identifier, activation) in cases {
      try checkAgainstKeras("activation_\(identifier)", Activation(activation))
    }
    // The string form, as Keras's `Activation("relu")`.
    try checkAgainstKeras("activation_relu", Activation("relu"))
  }

  func testActivationLayerNameAndClass() {
    clearSession()
    let first = Activation(.relu)
    let second = Activation(.relu)
    XCTAssertEqual(first.name, "activation")
    XCTAssertEqual(second.name, "activation_1")
    XCTAssertEqual(first.className, "Activation")
  }

  func testReLUVariantsMatchKeras() throws {
    try checkAgainstKeras("relu_default", ReLU())
    try checkAgainstKeras("relu_max_value", ReLU(maxValue: 1.5))
    try checkAgainstKeras("relu_negative_slope", ReLU(negativeSlope: 0.1))
    try checkAgainstKeras("relu_threshold", ReLU(threshold: 0.5))
    try checkAgainstKeras("relu_all", ReLU(maxValue: 2, negativeSlope: 0.2, threshold: 0.3))
  }

  func testLeakyReLUMatchesKeras() throws {
    try checkAgainstKeras("leaky_relu_default", LeakyReLU())
    try checkAgainstKeras("leaky_relu_0_1", LeakyReLU(negativeSlope: 0.1))
  }

  func testELUMatchesKeras() throws {
    try checkAgainstKeras("elu_default", ELU())
    try checkAgainstKeras("elu_alpha_0_5", ELU(alpha: 0.5))
  }

  func testSoftmaxMatchesKeras() throws {
    try checkAgainstKeras("softmax_default", Softmax())
    try checkAgainstKeras("softmax_axis_1", Softmax(axis: 1))
    try checkAgainstKeras("softmax_axis_-1_rank3", Softmax(axis: -1))
  }

  func testPReLUMatchesKeras() throws {
    try checkAgainstKeras("prelu", PReLU())
    let shared = PReLU(sharedAxes: [1])
    try checkAgainstKeras("prelu_shared_axes", shared)
    XCTAssertEqual(shared.alpha?.shape, [1, 4])
  }

  func testActivationGradientsMatchFiniteDifferences() throws {
    let x = testInput([3, 6], seed: 1)
    let x3 = testInput([2, 3, 4], seed: 2)
    try assertLayerGradientsMatchFiniteDifferences(Activation(.sigmoid), [x])
    try assertLayerGradientsMatchFiniteDifferences(ReLU(), [x], epsilon: 1e-3)
    try assertLayerGradientsMatchFiniteDifferences(
      ReLU(maxValue: 1, negativeSlope: 0.2, threshold: 0.3), [x], epsilon: 1e-3)
    try assertLayerGradientsMatchFiniteDifferences(LeakyReLU(), [x], epsilon: 1e-3)
    try assertLayerGradientsMatchFiniteDifferences(ELU(alpha: 0.7), [x], epsilon: 1e-3)
    try assertLayerGradientsMatchFiniteDifferences(Softmax(axis: 1), [x3])
    let prelu = PReLU(alphaInitializer: Ones(), sharedAxes: [1])
    _ = try prelu(x3)
    try prelu.setWeights([Tensor([[0.1, -0.2, 0.3, 0.25]])])
    try assertLayerGradientsMatchFiniteDifferences(prelu, [x3], epsilon: 1e-3)
  }

  func testELUOfLargeInputHasFiniteGradient() throws {
    let layer = ELU()
    let tape = GradientTape()
    let x = tape.watch(Tensor([200, -3]))
    let y = try tape.record { try layer(x).sum() }
    let grad = try XCTUnwrap(tape.gradient(of: y, wrt: x))
    XCTAssertEqual(grad.scalars[0], 1)
    XCTAssertEqual(grad.scalars[1], Float(exp(-3.0)), accuracy: 1e-6)
  }

  func testInvalidArgumentsThrow() {
    XCTAssertThrowsError(try ReLU(maxValue: -1)(Tensor([1, 2])))
    XCTAssertThrowsError(try LeakyReLU(negativeSlope: -0.1)(Tensor([1, 2])))
    XCTAssertThrowsError(try Softmax(axis: 3)(Tensor([[1, 2]])))
    XCTAssertThrowsError(try PReLU(sharedAxes: [2])(Tensor([[1, 2]])))
  }
}
