import SwiftKeras
import SwiftKerasCore
import SwiftKerasLayers
import TestSupport
import XCTest

final class EmbeddingAndPoolingTests: XCTestCase {
  func testEmbeddingMatchesKeras() throws {
    try checkAgainstKeras("embedding", Embedding(inputDim: 10, outputDim: 4))
  }

  func testEmbeddingDefaultInitializerRange() throws {
    let layer = Embedding(inputDim: 50, outputDim: 8)
    _ = try layer(Tensor([[1, 2]]))
    let table = try XCTUnwrap(layer.embeddings).untrackedValue.scalars
    XCTAssertTrue(table.allSatisfy { $0 >= -0.05 && $0 < 0.05 })
    XCTAssertGreaterThan(Set(table).count, 300)
  }

  func testEmbeddingGradientScatterAddsIntoRows() throws {
    let layer = Embedding(inputDim: 5, outputDim: 3)
    let ids = Tensor([[1, 3, 1], [0, 1, 4]])
    try assertLayerGradientsMatchFiniteDifferences(layer, [ids], checkInputs: false)
    // Summing the output: row r's gradient counts how often r is looked up.
    let tape = GradientTape()
    let total = try tape.record { try layer(ids).sum() }
    let grad = try XCTUnwrap(tape.gradient(of: total, wrt: layer.trainableWeights)[0])
    let counts: [Float] = [1, 3, 0, 1, 1]
    for row in 0..<5 {
      for col in 0..<3 { XCTAssertEqual(grad[row, col], counts[row]) }
    }
  }

  func testEmbeddingBadIndexThrowsNamingLayerAndIndex() {
    clearSession()
    let layer = Embedding(inputDim: 5, outputDim: 3)
    XCTAssertThrowsError(try layer(Tensor([[1, 7]]))) { error in
      let message = "\(error)"
      XCTAssertTrue(message.contains("'embedding'"), message)
      XCTAssertTrue(message.contains("7"), message)
    }
    XCTAssertThrowsError(try layer(Tensor([[-1, 2]])))
    XCTAssertThrowsError(try layer(Tensor([[1.5, 2]])))
  }

  func testGlobalAveragePoolingMatchesKeras() throws {
    try checkAgainstKeras("global_average_pooling_1d", GlobalAveragePooling1D())
    try checkAgainstKeras(
      "global_average_pooling_1d_keepdims", GlobalAveragePooling1D(keepdims: true))
  }

  func testGlobalAveragePoolingGradientAndChannelsFirst() throws {
    let x = testInput([2, 3, 4], seed: 1)
    try assertLayerGradientsMatchFiniteDifferences(GlobalAveragePooling1D(), [x])
    let first = try GlobalAveragePooling1D(dataFormat: "channels_first")(x)
    XCTAssertEqual(first.shape, [2, 3])
    let expected = (x[0, 1, 0] + x[0, 1, 1] + x[0, 1, 2] + x[0, 1, 3]) / 4
    XCTAssertEqual(first[0, 1], expected, accuracy: 1e-6)
    XCTAssertThrowsError(try GlobalAveragePooling1D()(Tensor.zeros([2, 3])))
    XCTAssertThrowsError(try GlobalAveragePooling1D(dataFormat: "nchw")(x))
  }
}
