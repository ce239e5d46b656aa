import SwiftKeras
import TestSupport
import XCTest

@testable import SwiftKerasCore
@testable import SwiftKerasLayers
@testable import SwiftKerasModels

final class FunctionalModelTests: XCTestCase {
  func testOutputNotConnectedToInputsThrowsNamingTheInput() throws {
    let a = Input(shape: [4], name: "given")
    let stray = Input(shape: [4], name: "stray")
    let out = try Add(name: "sum")([try Dense(4)(a), stray])
    XCTAssertThrowsError(try Model(inputs: a, outputs: out)) { error in
      XCTAssertTrue("\(error)".contains("stray"), "\(error)")
    }
  }

  func testDenseOnMismatchedLastAxisThrowsWithBothShapes() throws {
    let dense = Dense(3, name: "proj")
    _ = try dense(Input(shape: [5, 8]))
    XCTAssertThrowsError(try dense(Input(shape: [5, 7]))) { error in
      let text = "\(error)"
      XCTAssertTrue(
        text.contains("proj") && text.contains("(None, 5, 8)") && text.contains("(None, 5, 7)"),
        text)
    }
  }

  func testConcatenateOfMismatchedShapesThrows() throws {
    let a = Input(shape: [3, 4])
    let b = Input(shape: [5, 4])
    XCTAssertThrowsError(try Concatenate(axis: -1, name: "joint")([a, b])) { error in
      let text = "\(error)"
      XCTAssertTrue(
        text.contains("joint") && text.contains("(None, 3, 4)") && text.contains("(None, 5, 4)"),
        text)
    }
  }

  func testAddOfDifferentShapesThrows() throws {
    XCTAssertThrowsError(try Add(name: "plus")([Input(shape: [4]), Input(shape: [5])])) { error in
      let text = "\(error)"
      XCTAssertTrue(
        text.contains("plus") && text.contains("(None, 4)") && text.contains("(None, 5)"), text)
    }
  }

  func testWrongNumberOfInputsThrows() throws {
    let a = Input(shape: [2])
    let b = Input(shape: [2])
    let model = try Model(inputs: [a, b], outputs: try Add()([a, b]))
    XCTAssertThrowsError(try model.callOutputs([Tensor.ones([1, 2])], training: false))
    XCTAssertThrowsError(
      try model.callOutputs([Tensor.ones([1, 3]), Tensor.ones([1, 2])], training: false))
  }

  func testTwoInputModelRunsAndGetLayerFindsLayers() throws {
    let a = Input(shape: [3], name: "a")
    let b = Input(shape: [2], name: "b")
    let joined = try Concatenate(name: "cat")([a, b])
    let out = try Dense(1, name: "out")(joined)
    let model = try Model(inputs: [a, b], outputs: out)
    let dense = try XCTUnwrap(try model.getLayer(name: "out") as? Dense)
    try dense.setWeights([Tensor(shape: [5, 1], scalars: [1, 2, 3, 4, 5]), Tensor([0.5])])
    let y = try model.callOutputs([Tensor([[1, 1, 1]]), Tensor([[2, 0]])], training: false)[0]
    // 1 + 2 + 3 + 2*4 + 0*5 + 0.5, worked by hand.
    XCTAssertEqual(y.scalars, [14.5])
    XCTAssertThrowsError(try model.getLayer(name: "missing"))
  }

  func testSharedLayerGradientsFromBothUsesAddUp() throws {
    let a = Input(shape: [2])
    let b = Input(shape: [2])
    let shared = Dense(1, useBias: false)
    let model = try Model(inputs: [a, b], outputs: try Add()([try shared(a), try shared(b)]))
    let kernel = try XCTUnwrap(shared.kernel)
    let xa = Tensor([[1, 2]])
    let xb = Tensor([[3, 5]])
    let tape = GradientTape()
    let y = try tape.record { try model.callOutputs([xa, xb], training: true)[0].sum() }
    let grad = try XCTUnwrap(tape.gradient(of: y, wrt: [kernel])[0])
    // y = (xa + xb)·k, so dy/dk = xaᵀ + xbᵀ.
    XCTAssertEqual(grad.scalars, [4, 7])
    XCTAssertEqual(model.trainableWeights.count, 1)
  }

  func testModelUsedAsLayerInsideAnotherModel() throws {
    let innerInput = Input(shape: [3])
    let inner = try Model(
      inputs: innerInput, outputs: try Dense(2, name: "inner_dense")(innerInput),
      name: "inner_block")
    let x = Input(shape: [3])
    let outer = try Model(inputs: x, outputs: try Dense(1)(try inner(x)))
    XCTAssertEqual(outer.countParams(), 3 * 2 + 2 + 2 + 1)
    let y = try outer(Tensor.ones([4, 3]))
    XCTAssertEqual(y.shape, [4, 1])
    XCTAssertEqual(outer.trainableWeights.count, 4)
  }

  func testFrozenLayerWeightsAreNonTrainable() throws {
    let model = try Sequential([Input(shape: [4]), Dense(3, name: "frozen"), Dense(1)])
    try model.getLayer(name: "frozen").trainable = false
    XCTAssertEqual(model.parameterCounts.trainable, 4)
    XCTAssertEqual(model.parameterCounts.nonTrainable, 15)
  }
}

final class SequentialTests: XCTestCase {
  func testBuildsOnFirstDataWithoutInput() throws {
    let model = try Sequential([Dense(4), Dense(2)])
    XCTAssertFalse(model.layers[0].built)
    XCTAssertTrue(model.summaryText().contains("0 (unbuilt)"))
    let y = try model(Tensor.ones([3, 5]))
    XCTAssertEqual(y.shape, [3, 2])
    XCTAssertEqual(model.countParams(), 5 * 4 + 4 + 4 * 2 + 2)
    XCTAssertThrowsError(try model(Tensor.ones([3, 6])))
  }

  func testAddAndPop() throws {
    let model = try Sequential([Input(shape: [3])])
    try model.add(Dense(2, name: "first"))
    try model.add(Dense(1, name: "second"))
    XCTAssertEqual(model.layers.map { $0.name }, ["first", "second"])
    XCTAssertEqual(try model.pop().name, "second")
    XCTAssertEqual(try model(Tensor.ones([1, 3])).shape, [1, 2])
    XCTAssertThrowsError(try model.add(Dense(1, name: "first")), "duplicate names are rejected")
    _ = try model.pop()
    XCTAssertThrowsError(try model.pop())
  }

  func testInputAfterLayersThrows() throws {
    XCTAssertThrowsError(try Sequential([Dense(2), Input(shape: [3])]))
  }

  func testInputLayerAsFirstLayerSetsShape() throws {
    let model = try Sequential([InputLayer(shape: [7]), Dense(2)])
    XCTAssertEqual(model.layerOutputShapes, [[nil, 2]])
  }
}
