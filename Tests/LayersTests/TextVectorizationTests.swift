import Foundation
import SwiftKeras
import SwiftKerasCore
import SwiftKerasLayers
import TestSupport
import XCTest

/// TextVectorization against Keras (Tests/Fixtures/preprocessing.json, written by
/// Scripts/fixtures/preprocessing.py): adapted vocabularies, outputs and configs.
final class TextVectorizationTests: XCTestCase {
  private func cases() throws -> [[String: Any]] {
    let data = try Data(contentsOf: fixtureURL("preprocessing.json"))
    let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    return try XCTUnwrap(object["text_vectorization"] as? [[String: Any]])
  }

  private func layer(_ id: String, _ kwargs: [String: Any]) -> TextVectorization {
    let layer = TextVectorization(
      maxTokens: kwargs["max_tokens"] as? Int,
      standardize: kwargs.keys.contains("standardize")
        ? kwargs["standardize"] as? String : "lower_and_strip_punctuation",
      split: kwargs["split"] as? String ?? "whitespace", ngrams: kwargs["ngrams"] as? Int,
      outputMode: kwargs["output_mode"] as? String ?? "int",
      outputSequenceLength: kwargs["output_sequence_length"] as? Int,
      padToMaxTokens: kwargs["pad_to_max_tokens"] as? Bool ?? false,
      vocabulary: kwargs["vocabulary"] as? [String], name: id)
    if let widths = kwargs["ngrams"] as? [Int] { layer.ngrams = .array(widths.map { .int($0) }) }
    return layer
  }

  func testAdaptedVocabulariesOutputsAndConfigsEqualKeras() throws {
    let all = try cases()
    XCTAssertEqual(all.count, 12)
    var worst = 0.0
    for item in all {
      let id = try XCTUnwrap(item["id"] as? String)
      let layer = self.layer(id, try XCTUnwrap(item["kwargs"] as? [String: Any]))
      if let texts = item["texts"] as? [String] {
        if let batchSize = item["batch_size"] as? Int {
          let batches = stride(from: 0, to: texts.count, by: batchSize).map {
            StringTensor(Array(texts[$0..<min($0 + batchSize, texts.count)]))
          }
          try layer.adapt(batches: batches)
        } else {
          try layer.adapt(StringTensor(texts))
        }
      }
      XCTAssertEqual(try layer.getVocabulary(), item["vocabulary"] as? [String], id)
      let output = try layer(StringTensor(try XCTUnwrap(item["queries"] as? [String])))
      XCTAssertEqual(output.shape, item["output_shape"] as? [Int], id)
      let expected = try XCTUnwrap(item["output"] as? [Double])
      XCTAssertEqual(output.scalars.count, expected.count, id)
      worst = zip(output.scalars, expected).reduce(worst) { max($0, abs(Double($1.0) - $1.1)) }
      XCTAssertLessThanOrEqual(
        zip(output.scalars, expected).map { abs(Double($0) - $1) }.max() ?? 0, 1e-5, id)
      assertConfigMatches(layer.getConfig(), try XCTUnwrap(item["config"] as? [String: Any]), id)
      // The config (with the learned vocabulary set as Keras's get_vocabulary gives it)
      // rebuilds a layer with the same outputs.
      var config = layer.getConfig()
      if config["vocabulary"] == .null, layer.outputMode != "tf_idf" {
        config["vocabulary"] = .array(try layer.getVocabulary().map { .string($0) })
        let restored = try TextVectorization(
          config: LayerConfig(className: "TextVectorization", values: config))
        XCTAssertEqual(
          try restored(StringTensor(try XCTUnwrap(item["queries"] as? [String]))).scalars,
          output.scalars, id)
      }
    }
    XCTAssertLessThanOrEqual(worst, 1e-5)
  }

  func testTokenizationByHand() throws {
    let layer = TextVectorization(ngrams: 2)
    XCTAssertEqual(
      try layer.tokens(of: "Hello,  WORLD!\tÉté"),
      ["hello", "world", "Été", "hello world", "world Été"])
    let vectorize = TextVectorization(outputSequenceLength: 3, vocabulary: ["a", "b"])
    XCTAssertEqual(try vectorize(["b a c d", "a"] as StringTensor).scalars, [3, 2, 1, 2, 0, 0])
  }

  func testBadArgumentsThrowNamingTheLayer() throws {
    XCTAssertThrowsError(try TextVectorization(outputMode: "one_hot", name: "t")(["a"])) {
      XCTAssertTrue("\($0)".contains("'t' (TextVectorization)"), "\($0)")
    }
    XCTAssertThrowsError(try TextVectorization(standardize: "upper")(["a"]))
    XCTAssertThrowsError(try TextVectorization(ngrams: 0)(["a"]))
    XCTAssertThrowsError(try TextVectorization()(StringTensor(shape: [1, 2], values: ["a", "b"])))
    XCTAssertThrowsError(try TextVectorization(vocabulary: ["a"]).adapt(["a"]))
    XCTAssertThrowsError(try TextVectorization()(Tensor([1]))) {
      XCTAssertTrue("\($0)".contains("StringTensor"), "\($0)")
    }
  }
}
