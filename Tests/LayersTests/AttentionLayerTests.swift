import Foundation
import SwiftKeras
import SwiftKerasCore
import SwiftKerasLayers
import TestSupport
import XCTest

/// Finite-difference gradients of every attention layer, errors naming the layer, and
/// the Transformer encoder block and token-plus-position embedding of Docs/Models.md.
final class AttentionLayerTests: XCTestCase {
  private func sequence(_ shape: [Int], _ phase: Float) -> Tensor {
    let count = shape.reduce(1, *)
    return Tensor(shape: shape, values: (0..<count).map { sin(Float($0) * 0.71 + phase) })
  }

  func testEinsumDenseGradients() throws {
    try assertLayerGradientsMatchFiniteDifferences(
      EinsumDense("abc,cde->abde", outputShape: [nil, 2, 3], biasAxes: "de"),
      [sequence([2, 3, 4], 0)])
    try assertLayerGradientsMatchFiniteDifferences(
      EinsumDense("abcd,cde->abe", outputShape: [nil, 3], activation: .tanh, biasAxes: "e"),
      [sequence([2, 2, 2, 3], 1)])
  }

  func testMultiHeadAttentionGradients() throws {
    try assertLayerGradientsMatchFiniteDifferences(
      MultiHeadAttention(numHeads: 2, keyDim: 2),
      [sequence([2, 3, 4], 0), sequence([2, 4, 4], 1)]
    )
    try assertLayerGradientsMatchFiniteDifferences(
      MultiHeadAttention(numHeads: 2, keyDim: 2, valueDim: 3, outputShape: [5]),
      [sequence([1, 3, 4], 0), sequence([1, 4, 3], 1), sequence([1, 4, 2], 2)])
    // Causal, with the scores as a second output.
    setRandomSeed(3)
    let layer = MultiHeadAttention(numHeads: 2, keyDim: 2)
    let x = sequence([1, 4, 4], 0.3)
    _ = try layer(query: x, value: x)
    assertGradientsMatchFiniteDifferences([x]) { xs in
      let (output, scores) = try! layer.callWithScores(
        query: xs[0], value: xs[0], useCausalMask: true)
      return output.sum(alongAxis: -1) + scores.sum(alongAxes: [1, 3])
    }
  }

  func testAttentionGradients() throws {
    try assertLayerGradientsMatchFiniteDifferences(
      Attention(useScale: true), [sequence([2, 3, 4], 0), sequence([2, 5, 4], 1)])
    try assertLayerGradientsMatchFiniteDifferences(
      Attention(useScale: true, scoreMode: "concat"),
      [sequence([2, 3, 4], 0), sequence([2, 5, 3], 1), sequence([2, 5, 4], 2)])
    try assertLayerGradientsMatchFiniteDifferences(
      AdditiveAttention(), [sequence([2, 3, 4], 0), sequence([2, 5, 4], 1)])
  }

  func testGroupedQueryAttentionGradients() throws {
    try assertLayerGradientsMatchFiniteDifferences(
      GroupedQueryAttention(headDim: 2, numQueryHeads: 4, numKeyValueHeads: 2),
      [sequence([1, 3, 4], 0), sequence([1, 4, 4], 1)])
  }

  func testErrorsNameTheLayer() throws {
    let bad = EinsumDense("ab,bc->acc", outputShape: [3], name: "proj")
    XCTAssertThrowsError(try bad(Tensor.zeros([2, 4]))) { error in
      let message = "\(error)"
      XCTAssertTrue(message.contains("proj") && message.contains("not supported"), message)
    }
    let summed = EinsumDense("abc,cd->ad", outputShape: [3], name: "sum")
    XCTAssertThrowsError(try summed(Tensor.zeros([2, 4, 5]))) { error in
      XCTAssertTrue("\(error)".contains("summed away"), "\(error)")
    }
    let mha = MultiHeadAttention(numHeads: 2, keyDim: 2, name: "attn")
    XCTAssertThrowsError(try mha([Tensor.zeros([2, 3, 4]), Tensor.zeros([3, 5, 4])])) { error in
      XCTAssertTrue("\(error)".contains("attn"), "\(error)")
    }
    XCTAssertThrowsError(
      try MultiHeadAttention(numHeads: 2, keyDim: 2, name: "masked").callAsFunction(
        query: Tensor.zeros([2, 3, 4]), value: Tensor.zeros([2, 5, 4]),
        attentionMask: Tensor.ones([2, 4, 4]))
    ) { error in XCTAssertTrue("\(error)".contains("masked"), "\(error)") }
  }

  /// The code of Docs/Models.md's "Attention and Transformers" section.
  func testDocsTransformerExample() throws {
    // docs:begin transformer
    /// Token embeddings plus learned position embeddings, as the Keras Transformer
    /// examples' `TokenAndPositionEmbedding`.
    final class TokenAndPositionEmbedding: Layer {
      let tokens: Embedding
      let positions: Embedding
      init(sequenceLength: Int, vocabularySize: Int, width: Int) {
        tokens = Embedding(inputDim: vocabularySize, outputDim: width)
        positions = Embedding(inputDim: sequenceLength, outputDim: width)
        super.init(name: nil)
      }
      override func call(_ ids: Tensor, training: Bool) throws -> Tensor {
        let steps = ids.shape[1]
        let indices = Tensor(shape: [1, steps], values: (0..<steps).map { Float($0) })
        return try tokens(ids) + positions(indices)
      }
    }

    /// A Transformer encoder block: self-attention and a feed-forward network, each
    /// with a residual connection and layer normalization.
    func encoderBlock(_ x: KerasTensor, heads: Int, width: Int, hidden: Int) throws
      -> KerasTensor
    {
      let attended = try MultiHeadAttention(numHeads: heads, keyDim: width / heads)(
        query: x, value: x)
      let first = try LayerNormalization(epsilon: 1e-6)(
        try Add()([x, try Dropout(0.1)(attended)]))
      let feedForward = try Dense(width)(try Dense(hidden, activation: .relu)(first))
      return try LayerNormalization(epsilon: 1e-6)(
        try Add()([first, try Dropout(0.1)(feedForward)]))
    }

    let ids = Input(shape: [16])
    let embedded = try TokenAndPositionEmbedding(
      sequenceLength: 16, vocabularySize: 100, width: 32)(ids)
    let encoded = try encoderBlock(embedded, heads: 4, width: 32, hidden: 64)
    let pooled = try GlobalAveragePooling1D()(encoded)
    let model = try Model(
      inputs: ids, outputs: try Dense(2, activation: .softmax)(pooled), name: "classifier")
    let batch = Tensor(shape: [3, 16], values: (0..<48).map { Float($0 % 100) })
    let probabilities = try model.predict(x: batch)  // [3, 2]
    // docs:end transformer
    XCTAssertEqual(probabilities.shape, [3, 2])
    for row in 0..<3 {
      XCTAssertEqual(
        probabilities.scalars[2 * row] + probabilities.scalars[2 * row + 1], 1, accuracy: 1e-5)
    }
    XCTAssertTrue(model.summaryText().contains("MultiHeadAttention"))
  }
}
