import Foundation
import SwiftKeras
import TestSupport
import XCTest

/// Keras's attention models (`Tests/Fixtures/attention.json` and the `.keras` and
/// `.weights.h5` files under `Tests/Fixtures/attention`, written by
/// `Scripts/fixtures/attention.py`), and attention models written by SwiftKeras for
/// `Scripts/attention_check.py` (into `$SWIFTKERAS_ATTENTION_EXPORT` when set).
final class AttentionSavingTests: XCTestCase {
  private static let json: FixtureJSON = {
    guard let data = try? Data(contentsOf: fixtureURL("attention.json")),
      let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    else { return FixtureJSON([:]) }
    return FixtureJSON(object)
  }()

  private func model(_ key: String) throws -> [String: Any] {
    try XCTUnwrap((Self.json["models"] as? [String: Any])?[key] as? [String: Any], key)
  }

  private func maxDifference(_ a: Tensor, _ b: Tensor) -> Float {
    zip(a.scalars, b.scalars).reduce(0) { max($0, abs($1.0 - $1.1)) }
  }

  /// A Transformer block with a causal MultiHeadAttention, a two-input cross attention
  /// returning its scores (two outputs), and Attention/AdditiveAttention/
  /// GroupedQueryAttention side by side, saved by Keras: each loads and predicts as Keras
  /// (every output), with Keras's parameter count and summary text, and Keras's
  /// `.weights.h5` loads into a copy built from the config.
  func testKerasFilesLoadAndPredict() throws {
    for key in ["mha_block", "cross_attention", "attention_mix"] {
      let expected = try model(key)
      let loaded = try loadModel(from: fixtureURL("attention/\(key).keras").path)
      let xs = (expected["x"] as? [Any] ?? []).map(tensor(from:))
      let predictions = try loaded.predictOutputs(x: xs, verbose: 0)
      let references = (expected["predictions"] as? [Any] ?? []).map(tensor(from:))
      XCTAssertEqual(predictions.count, references.count, key)
      for (ours, theirs) in zip(predictions, references) {
        XCTAssertEqual(ours.shape, theirs.shape, key)
        let difference = maxDifference(ours, theirs)
        XCTAssertLessThanOrEqual(difference, 1e-5, "\(key): predictions")
        print("attention .keras \(key): max abs prediction diff \(difference)")
      }
      XCTAssertEqual(loaded.countParams(), expected["total_params"] as? Int, key)
      XCTAssertEqual(loaded.summaryText(), expected["summary"] as? String, key)
      XCTAssertEqual(
        loaded.outputs.map { $0.shape },
        (expected["output_shapes"] as? [[Any]] ?? []).map { $0.map { $0 as? Int } }, key)

      let copy = try modelFromJSON(try loaded.toJSON())
      try copy.loadWeights(from: fixtureURL("attention/\(key).weights.h5").path)
      let again = try copy.predictOutputs(x: xs, verbose: 0)
      for (ours, theirs) in zip(again, references) {
        XCTAssertLessThanOrEqual(maxDifference(ours, theirs), 1e-5, "\(key): .weights.h5")
      }
    }
  }

  /// The mask of a `maskZero` embedding reaches query and value of a self-attention and
  /// the pooling after it: a model built in SwiftKeras with Keras's weights predicts as
  /// Keras's (padded tokens included).
  func testMaskedSelfAttentionMatchesKeras() throws {
    let expected = try model("masked_attention")
    let ids = Input(shape: [5], name: "ids")
    let embedding = Embedding(inputDim: 10, outputDim: 6, name: "embed")
    embedding.maskZero = true
    let embedded = try embedding(ids)
    let attended = try MultiHeadAttention(numHeads: 2, keyDim: 3, name: "self_attention")(
      query: embedded, value: embedded)
    let pooled = try GlobalAveragePooling1D(name: "pool")(attended)
    let output = try Dense(2, name: "head")(pooled)
    let model = try Model(inputs: ids, outputs: output, name: "masked_attention")
    try model.loadWeights(from: fixtureURL("attention/masked_attention.weights.h5").path)
    let x = tensor(from: (expected["x"] as? [Any])?.first as Any)
    let predictions = try model.predict(x: x, verbose: 0)
    let reference = tensor(from: (expected["predictions"] as? [Any])?.first as Any)
    let difference = maxDifference(predictions, reference)
    XCTAssertLessThanOrEqual(difference, 1e-5, "masked attention predictions")
    print("attention masked_attention (.weights.h5): max abs prediction diff \(difference)")
  }

  /// The models `Scripts/attention_check.py` loads in Keras.
  private func exportModels() throws -> [(String, Model, [Tensor])] {
    setRandomSeed(23)
    func sequence(_ shape: [Int], _ phase: Float) -> Tensor {
      let count = shape.reduce(1, *)
      return Tensor(shape: shape, values: (0..<count).map { sin(Float($0) * 0.37 + phase) })
    }
    let tokens = Input(shape: [6, 8], name: "tokens")
    let attended = try MultiHeadAttention(numHeads: 2, keyDim: 4, name: "mha")(
      query: tokens, value: tokens, useCausalMask: true)
    let normed = try LayerNormalization(name: "norm1")(try Add(name: "add1")([tokens, attended]))
    let hidden = try Dense(16, activation: .relu, name: "ffn1")(normed)
    let block = try LayerNormalization(name: "norm2")(
      try Add(name: "add2")([normed, try Dense(8, name: "ffn2")(hidden)]))
    let head = try Dense(3, activation: .softmax, name: "head")(
      try GlobalAveragePooling1D(name: "pool")(block))
    let encoder = try Model(inputs: tokens, outputs: head, name: "mha_block")

    let query = Input(shape: [4, 6], name: "query")
    let value = Input(shape: [5, 6], name: "value")
    let (cross, scores) = try MultiHeadAttention(
      numHeads: 3, keyDim: 2, valueDim: 3, name: "cross"
    ).callWithScores(query: query, value: value)
    let projected = try Dense(2, name: "proj")(cross)
    let crossModel = try Model(
      inputs: [query, value], outputs: [projected, scores], name: "cross_attention")

    let q = Input(shape: [4, 6], name: "q")
    let v = Input(shape: [5, 6], name: "v")
    let dot = try Attention(useScale: true, name: "dot_attention")([q, v])
    let additive = try AdditiveAttention(name: "additive")([q, v, v])
    let grouped = try GroupedQueryAttention(
      headDim: 2, numQueryHeads: 4, numKeyValueHeads: 2, name: "gqa")(query: q, value: v)[0]
    let mixed = try Dense(3, name: "out")(
      try Concatenate(name: "concat")([dot, additive, grouped]))
    let mix = try Model(inputs: [q, v], outputs: mixed, name: "attention_mix")
    return [
      ("mha_block", encoder, [sequence([3, 6, 8], 0)]),
      ("cross_attention", crossModel, [sequence([2, 4, 6], 0.5), sequence([2, 5, 6], 1)]),
      ("attention_mix", mix, [sequence([2, 4, 6], 0.2), sequence([2, 5, 6], 0.7)]),
    ]
  }

  /// Writes the models with `expected.json` (inputs and SwiftKeras's predictions); each
  /// loads back in SwiftKeras with the same predictions.
  func testExportAttentionModels() throws {
    let environment = ProcessInfo.processInfo.environment["SWIFTKERAS_ATTENTION_EXPORT"]
    let folder =
      try environment.map { URL(fileURLWithPath: $0) }
      ?? makeTemporaryDirectory("attention-export")
    defer { if environment == nil { try? FileManager.default.removeItem(at: folder) } }
    var expected: [String: ConfigValue] = [:]
    for (key, model, xs) in try exportModels() {
      let predictions = try model.predictOutputs(x: xs, verbose: 0)
      try model.save(to: folder.appendingPathComponent("\(key).keras").path)
      try model.saveWeights(to: folder.appendingPathComponent("\(key).weights.h5").path)
      expected[key] = [
        "x_shapes": .array(xs.map { .array($0.shape.map { .int($0) }) }),
        "x": .array(xs.map { .array($0.scalars.map { .double(Double($0)) }) }),
        "predictions": .array(predictions.map { .array($0.scalars.map { .double(Double($0)) }) }),
      ]
      let reloaded = try loadModel(from: folder.appendingPathComponent("\(key).keras").path)
      for (again, ours) in zip(try reloaded.predictOutputs(x: xs, verbose: 0), predictions) {
        assertClose(again, ours, tolerance: 0, key)
      }
    }
    try ConfigValue.object(expected).jsonString().write(
      to: folder.appendingPathComponent("expected.json"), atomically: true, encoding: .utf8)
  }
}
