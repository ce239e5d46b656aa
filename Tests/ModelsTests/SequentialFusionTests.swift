import XCTest

@testable import SwiftKerasCore
@testable import SwiftKerasLayers
@testable import SwiftKerasModels

/// A Sequential model runs a Conv2D(relu) → MaxPooling2D pair as one fused op; a
/// Functional model with the same layers and weights runs them one by one. Training both
/// must take the same path to rounding.
final class SequentialFusionTests: XCTestCase {
  private func layers() -> [Layer] {
    [
      Conv2D(8, kernelSize: 3, activation: .relu), MaxPooling2D(2),
      Conv2D(16, kernelSize: 3, activation: .relu), MaxPooling2D(2), Flatten(),
      Dense(3, activation: .softmax),
    ]
  }

  func testSequentialTrainsAsTheUnfusedFunctionalModel() throws {
    setRandomSeed(5)
    let stack = layers()
    let sequential = try Sequential([Input(shape: [14, 14, 1])] + stack)
    XCTAssertTrue(stack[0].fuses(with: stack[1]))
    var generator = RandomGenerator(seed: 6)
    let x = Tensor.randomNormal(shape: [48, 14, 14, 1], generator: &generator)
    let y = Tensor(shape: [48], scalars: (0..<48).map { Float($0 % 3) })

    let input = Input(shape: [14, 14, 1])
    var node = input
    let copies = layers()
    for layer in copies { node = try layer(node) }
    let functional = try Model(inputs: input, outputs: node)
    try functional.setWeights(sequential.getWeights())

    var losses: [[Float]] = []
    for model in [sequential, functional] as [Model] {
      model.compile(
        optimizer: try .adam(learningRate: 0.01), loss: "sparse_categorical_crossentropy")
      let history = try model.fit(
        x: x, y: y, batchSize: 16, epochs: 3, verbose: 0, shuffle: false)
      losses.append(history["loss"])
    }
    XCTAssertEqual(losses[0].count, 3)
    XCTAssertLessThan(losses[0][2], losses[0][0], "the model learns")
    for (a, b) in zip(losses[0], losses[1]) { XCTAssertEqual(a, b, accuracy: 1e-4) }
    for (a, b) in zip(sequential.getWeights(), functional.getWeights()) {
      XCTAssertEqual(a.shape, b.shape)
      for (p, q) in zip(a.scalars, b.scalars) { XCTAssertEqual(p, q, accuracy: 1e-4) }
    }
    let predicted = try sequential.predict(x: x, verbose: 0)
    let reference = try functional.predict(x: x, verbose: 0)
    for (p, q) in zip(predicted.scalars, reference.scalars) { XCTAssertEqual(p, q, accuracy: 1e-4) }
  }
}
