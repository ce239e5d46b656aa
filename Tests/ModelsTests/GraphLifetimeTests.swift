import SwiftKeras
import TestSupport
import XCTest

/// A functional graph nobody uses any more is freed: layers hold their calls weakly.
final class GraphLifetimeTests: XCTestCase {
  func testAModelAndItsGraphAreFreedWhenReleased() throws {
    weak var dense: Layer?
    weak var input: KerasTensor?
    weak var model: Model?
    try {
      let x = Input(shape: [3])
      let layer = Dense(2)
      let built = try Model(inputs: x, outputs: try layer(x))
      _ = try built.predict(x: Tensor.zeros(shape: [1, 3]))
      (dense, input, model) = (layer, x, built)
    }()
    XCTAssertNil(model)
    XCTAssertNil(dense)
    XCTAssertNil(input)
  }

  func testOutputsKeepTheirIdentityWhileHeld() throws {
    let x = Input(shape: [3])
    let y = try Dense(2)(x)
    XCTAssertTrue(y.node.outputs[0] === y)
    XCTAssertTrue(x.node.outputs[0] === x)
    XCTAssertEqual(y.node.outputShapes, [[nil, 2]])
  }
}
