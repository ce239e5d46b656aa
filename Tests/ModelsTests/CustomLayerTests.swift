import SwiftKeras
import TestSupport
import XCTest

@testable import SwiftKerasCore
@testable import SwiftKerasLayers
@testable import SwiftKerasModels

/// A user's layer: y = x · w + b written with tensor ops, no backward code.
private final class MyLinear: Layer {
  let units: Int
  var w: Variable!
  var b: Variable!
  init(units: Int) {
    self.units = units
    super.init()
  }
  override func build(inputShape: Shape) throws {
    w = addWeight(name: "w", shape: [inputShape.last!!, units], initializer: Ones())
    b = addWeight(name: "b", shape: [units], initializer: Zeros())
  }
  override func call(_ x: Tensor, training: Bool) throws -> Tensor {
    matmul(x, w.value) + b.value
  }
}

/// A user's subclassed model with its own call.
private final class TwoStep: Model {
  let first = MyLinear(units: 2)
  let second = Dense(1, useBias: false, kernelInitializer: Ones())
  init() {
    super.init(name: "two_step")
    track(first)
    track(second)
  }
  override func call(_ x: Tensor, training: Bool) throws -> Tensor {
    try second(relu(try first(x)) * 2)
  }
}

final class CustomLayerTests: XCTestCase {
  func testCustomLayerIsAutoNamedAndGetsGradientsWithoutBackwardCode() throws {
    let layer = MyLinear(units: 2)
    XCTAssertTrue(layer.name.hasPrefix("my_linear"))
    let x = Tensor([[1, 2, 3]])
    _ = try layer(x)
    let tape = GradientTape()
    let y = try tape.record { try layer(x).sum() }
    let grads = tape.gradient(of: y, wrt: layer.trainableWeights)
    // d(sum(x·w + b))/dw = xᵀ repeated over the 2 units; d/db = 1.
    XCTAssertEqual(grads[0]?.scalars, [1, 1, 2, 2, 3, 3])
    XCTAssertEqual(grads[1]?.scalars, [1, 1])
  }

  func testSubclassedModelTracksLayersAndTrains() throws {
    let model = TwoStep()
    let x = Tensor([[1, -1, 2]])
    let y = try model(x)
    // first: x·ones = 2 per unit; relu, ×2 → 4 each; second sums → 8.
    XCTAssertEqual(y.scalars, [8])
    XCTAssertEqual(model.trainableWeights.count, 3)
    let tape = GradientTape()
    let out = try tape.record { try model(x).sum() }
    let grads = tape.gradient(of: out, wrt: model.trainableWeights)
    XCTAssertTrue(grads.allSatisfy { $0 != nil })
    XCTAssertEqual(grads[1]?.scalars, [2, 2], "bias of the custom layer: 2 · 1 per unit")
  }
}
