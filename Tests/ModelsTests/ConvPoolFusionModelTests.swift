import SwiftKeras
import TestSupport
import XCTest

@testable import SwiftKerasCore
@testable import SwiftKerasLayers
@testable import SwiftKerasModels

/// Sequential and Functional models run a Conv2D(relu) → MaxPooling2D pair as one fused
/// op where the convolution's output has no other reader; training must take the path the
/// unfused layers take, to rounding.
final class ConvPoolFusionModelTests: XCTestCase {
  private let initialPolicy = ConvolutionAlgorithmPolicy.current

  override func tearDown() {
    ConvolutionAlgorithmPolicy.current = initialPolicy
    super.tearDown()
  }

  private func layers() -> [Layer] {
    [
      Conv2D(8, kernelSize: 3, activation: .relu), MaxPooling2D(2),
      Conv2D(16, kernelSize: 3, activation: .relu), MaxPooling2D(2), Flatten(),
      Dense(3, activation: .softmax),
    ]
  }

  private func functional(_ stack: [Layer]) throws -> Model {
    let input = Input(shape: [14, 14, 1])
    var node = input
    for layer in stack { node = try layer(node) }
    return try Model(inputs: input, outputs: node)
  }

  /// Losses per epoch and final weights after training `model` under `policy`.
  private func train(_ model: Model, policy: ConvolutionAlgorithmPolicy) throws -> (
    losses: [Float], weights: [Tensor], predictions: Tensor
  ) {
    ConvolutionAlgorithmPolicy.current = policy
    defer { ConvolutionAlgorithmPolicy.current = initialPolicy }
    var generator = RandomGenerator(seed: 6)
    let x = Tensor.randomNormal(shape: [48, 14, 14, 1], generator: &generator)
    let y = Tensor(shape: [48], scalars: (0..<48).map { Float($0 % 3) })
    try model.compile(
      optimizer: try .adam(learningRate: 0.01), loss: "sparse_categorical_crossentropy")
    let history = try model.fit(x: x, y: y, batchSize: 16, epochs: 3, verbose: 0, shuffle: false)
    return (history["loss"], model.getWeights(), try model.predict(x: x, verbose: 0))
  }

  private func assertClose(
    _ a: (losses: [Float], weights: [Tensor], predictions: Tensor),
    _ b: (losses: [Float], weights: [Tensor], predictions: Tensor), accuracy: Float,
    file: StaticString = #filePath, line: UInt = #line
  ) {
    XCTAssertEqual(a.losses.count, 3, file: file, line: line)
    XCTAssertLessThan(a.losses[2], a.losses[0], "the model learns", file: file, line: line)
    for (p, q) in zip(a.losses, b.losses) {
      XCTAssertEqual(p, q, accuracy: accuracy, file: file, line: line)
    }
    XCTAssertEqual(a.weights.count, b.weights.count, file: file, line: line)
    for (p, q) in zip(a.weights + [a.predictions], b.weights + [b.predictions]) {
      XCTAssertEqual(p.shape, q.shape, file: file, line: line)
      for (u, v) in zip(p.scalars, q.scalars) {
        XCTAssertEqual(u, v, accuracy: accuracy, file: file, line: line)
      }
    }
  }

  func testSequentialTrainsAsTheUnfusedLayers() throws {
    setRandomSeed(5)
    let stack = layers()
    let sequential = try Sequential([Input(shape: [14, 14, 1])] + stack)
    XCTAssertTrue(ConvReLUMaxPoolFusion().fuses(stack[0], stack[1]))
    let reference = try functional(layers())
    try reference.setWeights(sequential.getWeights())
    // `.im2col` runs every convolution unfused (and without Winograd).
    assertClose(
      try train(sequential, policy: .automatic), try train(reference, policy: .im2col),
      accuracy: 1e-4)
  }

  func testFunctionalModelFusesPairsWhoseMiddleHasNoOtherReader() throws {
    setRandomSeed(5)
    let stack = layers()
    let model = try functional(stack)
    let fused = model.plan!.steps.compactMap { $0.fused.map { ObjectIdentifier($0.layer) } }
    XCTAssertEqual(Set(fused), [ObjectIdentifier(stack[1]), ObjectIdentifier(stack[3])])
    let sequential = try Sequential([Input(shape: [14, 14, 1])] + layers())
    try sequential.setWeights(model.getWeights())
    // Both fused: the same ops in the same order.
    assertClose(
      try train(model, policy: .automatic), try train(sequential, policy: .automatic),
      accuracy: 0)
  }

  func testNoFusionWhereTheConvolutionOutputIsReadElsewhere() throws {
    let input = Input(shape: [14, 14, 1])
    let conv = Conv2D(8, kernelSize: 3, activation: .relu)
    let features = try conv(input)
    let pooled = try MaxPooling2D(2)(features)
    let both = try Model(inputs: input, outputs: [pooled, features])
    XCTAssertTrue(
      both.plan!.steps.allSatisfy { $0.fused == nil }, "the convolution's output is an output")
    let side = try GlobalMaxPooling2D()(features)
    let merged = try Concatenate()([try Flatten()(pooled), side])
    let twoReaders = try Model(inputs: input, outputs: merged)
    XCTAssertTrue(
      twoReaders.plan!.steps.allSatisfy { $0.fused == nil }, "the output has two readers")
    let x = Tensor.randomNormal(shape: [2, 14, 14, 1])
    let outputs = try both.callOutputs([x], training: false)
    XCTAssertEqual(outputs.map(\.shape), [[2, 6, 6, 8], [2, 12, 12, 8]])
    XCTAssertEqual(try twoReaders(x).shape, [2, 6 * 6 * 8 + 8])
  }
}
