import Foundation
import SwiftKeras
import SwiftKerasCore
import SwiftKerasLayers
import TestSupport
import XCTest

/// StringLookup and IntegerLookup against Keras (Tests/Fixtures/preprocessing.json,
/// written by Scripts/fixtures/preprocessing.py): vocabularies given and adapted, every
/// output mode, inverted lookups, configs, and `.keras` files with the vocabulary in
/// `assets/`.
final class LookupLayerTests: XCTestCase {
  private func fixture() throws -> [String: Any] {
    let data = try Data(contentsOf: fixtureURL("preprocessing.json"))
    return try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
  }

  private func floats(_ item: [String: Any], _ key: String, _ shape: String) throws -> Tensor {
    Tensor(
      shape: try XCTUnwrap(item[shape] as? [Int]),
      scalars: try XCTUnwrap(item[key] as? [Double]).map(Float.init))
  }

  private func strings(_ item: [String: Any], _ key: String, _ shape: String) throws
    -> StringTensor
  {
    try StringTensor(
      shape: try XCTUnwrap(item[shape] as? [Int]),
      values: try XCTUnwrap(item[key] as? [String]))
  }

  private func assertOutput(
    _ output: Tensor, _ item: [String: Any], _ id: String, file: StaticString = #filePath,
    line: UInt = #line
  ) throws {
    XCTAssertEqual(output.shape, item["output_shape"] as? [Int], id, file: file, line: line)
    let expected = try XCTUnwrap(item["output"] as? [Double])
    XCTAssertEqual(output.scalars.count, expected.count, id, file: file, line: line)
    let worst = zip(output.scalars, expected).map { abs(Double($0) - $1) }.max() ?? 0
    XCTAssertLessThanOrEqual(worst, 1e-6, id, file: file, line: line)
  }

  func testStringLookupEqualsKeras() throws {
    let cases = try XCTUnwrap(try fixture()["string_lookup"] as? [[String: Any]])
    XCTAssertEqual(cases.count, 26)
    for item in cases {
      let id = try XCTUnwrap(item["id"] as? String)
      let mode = try XCTUnwrap(item["mode"] as? String)
      let label = "\(id) \(mode)"
      if id == "inverse" {
        let layer = StringLookup(
          maskToken: "[MASK]", vocabulary: ["a", "b", "c"], invert: true, name: id)
        let found = try layer.tokens(for: try floats(item, "input", "input_shape"))
        XCTAssertEqual(found.values, item["output"] as? [String], label)
        XCTAssertEqual(found.shape, item["output_shape"] as? [Int], label)
        XCTAssertEqual(try layer.getVocabulary(), item["vocabulary"] as? [String], label)
        assertConfigMatches(
          layer.getConfig(), try XCTUnwrap(item["config"] as? [String: Any]), label)
        continue
      }
      let kwargs = item["kwargs"] as? [String: Any] ?? [:]
      let layer = StringLookup(
        maxTokens: kwargs["max_tokens"] as? Int, maskToken: kwargs["mask_token"] as? String,
        vocabulary: kwargs["vocabulary"] as? [String],
        idfWeights: (kwargs["idf_weights"] as? [Double])?.map(Float.init), outputMode: mode,
        name: id)
      if item["data"] is [String] {
        let data = try strings(item, "data", "data_shape")
        if let batchSize = item["batch_size"] as? Int {
          let rows = data.shape[0]
          let width = data.values.count / rows
          let batches = try stride(from: 0, to: rows, by: batchSize).map { start in
            let end = min(start + batchSize, rows)
            return try StringTensor(
              shape: [end - start, width],
              values: Array(data.values[(start * width)..<(end * width)]))
          }
          try layer.adapt(batches: batches)
        } else {
          try layer.adapt(data)
        }
      }
      XCTAssertEqual(try layer.getVocabulary(), item["vocabulary"] as? [String], label)
      try assertOutput(try layer(try strings(item, "input", "input_shape")), item, label)
      let shape = try XCTUnwrap(item["input_shape"] as? [Int])
      XCTAssertEqual(
        try layer.computeOutputShape(inputShapes: [shape.map { Optional($0) }]).compactMap { $0 },
        item["output_shape"] as? [Int], label)
      assertConfigMatches(layer.getConfig(), try XCTUnwrap(item["config"] as? [String: Any]), label)
    }
  }

  func testIntegerLookupEqualsKeras() throws {
    let cases = try XCTUnwrap(try fixture()["integer_lookup"] as? [[String: Any]])
    XCTAssertEqual(cases.count, 23)
    for item in cases {
      let id = try XCTUnwrap(item["id"] as? String)
      let mode = try XCTUnwrap(item["mode"] as? String)
      let label = "\(id) \(mode)"
      let kwargs = item["kwargs"] as? [String: Any] ?? [:]
      let layer = IntegerLookup(
        maxTokens: kwargs["max_tokens"] as? Int,
        numOovIndices: kwargs["num_oov_indices"] as? Int ?? 1,
        maskToken: kwargs["mask_token"] as? Int,
        vocabulary: id == "inverse" ? [12, 36, 1138, 42] : kwargs["vocabulary"] as? [Int],
        invert: id == "inverse", outputMode: mode, name: id)
      if item["data"] is [Double] { try layer.adapt(try floats(item, "data", "data_shape")) }
      XCTAssertEqual(try layer.getVocabulary(), item["vocabulary"] as? [Int], label)
      try assertOutput(try layer(try floats(item, "input", "input_shape")), item, label)
      assertConfigMatches(layer.getConfig(), try XCTUnwrap(item["config"] as? [String: Any]), label)
    }
  }

  func testAKerasFileWithAnAdaptedIntegerLookupLoadsAndPredictsAsKeras() throws {
    let item = try XCTUnwrap(try fixture()["integer_lookup_model"] as? [String: Any])
    let model = try loadModel(from: fixtureURL(try XCTUnwrap(item["keras_file"] as? String)).path)
    let lookup = try XCTUnwrap(model.layers.first as? IntegerLookup)
    XCTAssertEqual(try lookup.getVocabulary(), item["vocabulary"] as? [Int])
    let output = try model.predict(x: try floats(item, "input", "input_shape"), verbose: 0)
    let expected = try XCTUnwrap(item["output"] as? [Double])
    for (got, want) in zip(output.scalars, expected) {
      XCTAssertEqual(Double(got), want, accuracy: 1e-5)
    }
  }

  func testAdaptedVocabularyRoundTripsThroughAKerasFile() throws {
    let folder = try makeTemporaryDirectory("lookup-layers")
    defer { try? FileManager.default.removeItem(at: folder) }
    for (key, model, x) in try LookupExport.models() {
      let expected = try model.predict(x: x, verbose: 0)
      let path = folder.appendingPathComponent("\(key).keras").path
      try model.save(to: path)
      let restored = try loadModel(from: path)
      XCTAssertEqual(try restored.predict(x: x, verbose: 0).scalars, expected.scalars, key)
    }
    // A string lookup's config (given vocabulary) rebuilds the same layer.
    let lookup = StringLookup(maskToken: "", vocabulary: ["x", "y"], outputMode: "multi_hot")
    let restored = try StringLookup(
      config: LayerConfig(className: "StringLookup", values: lookup.getConfig()))
    let words = try StringTensor(shape: [2, 2], values: ["x", "", "q", "y"])
    XCTAssertEqual(try restored(words).scalars, try lookup(words).scalars)
    XCTAssertEqual(try lookup(words).scalars, [0, 1, 0, 1, 0, 1])
  }

  func testBadInputsThrowNamingTheLayer() throws {
    let strict = StringLookup(numOovIndices: 0, vocabulary: ["a"], name: "strict")
    XCTAssertThrowsError(try strict(["b"] as StringTensor)) {
      XCTAssertTrue("\($0)".contains("'strict' (StringLookup)"), "\($0)")
    }
    XCTAssertThrowsError(try StringLookup(vocabulary: ["a", "a"])(["a"] as StringTensor))
    XCTAssertThrowsError(try StringLookup(outputMode: "multi_hot")(["a"] as StringTensor))
    XCTAssertThrowsError(try StringLookup(invert: true, outputMode: "count")(["a"] as StringTensor))
    XCTAssertThrowsError(try StringLookup(vocabulary: ["a"]).adapt(["a"] as StringTensor))
    XCTAssertThrowsError(try StringLookup(vocabulary: ["a"])(Tensor([1]))) {
      XCTAssertTrue("\($0)".contains("StringTensor"), "\($0)")
    }
    XCTAssertThrowsError(try IntegerLookup(vocabulary: [1, 2], name: "ints")(Tensor([1.5]))) {
      XCTAssertTrue("\($0)".contains("'ints' (IntegerLookup)") && "\($0)".contains("1.5"), "\($0)")
    }
    XCTAssertThrowsError(try StringTensor(shape: [2, 2], values: ["a"]))
    let idf = StringLookup(outputMode: "tf_idf")
    try idf.adapt(["a", "b"] as StringTensor)
    XCTAssertThrowsError(try idf.saveAssets())
  }
}

/// Models with adapted IntegerLookup layers for the round-trip test and
/// Scripts/preprocessing_check.py.
enum LookupExport {
  static func models() throws -> [(String, Model, Tensor)] {
    setRandomSeed(31)
    let data = Tensor(shape: [3, 4], scalars: [3, 3, 5, 7, 7, 7, 0, 9, 12, 5, 5, 3])
    let counts = IntegerLookup(maskToken: 0, outputMode: "count", name: "integer_lookup")
    try counts.adapt(data)
    let indices = IntegerLookup(maxTokens: 4, numOovIndices: 2, name: "integer_lookup_1")
    try indices.adapt(data)
    let model = try Sequential(
      [Input(shape: [4]), counts, Dense(2, name: "dense")], name: "integer_counts")
    let indexModel = try Sequential(
      [
        Input(shape: [4]), indices, CategoryEncoding(numTokens: 4, outputMode: "multi_hot"),
        Dense(2),
      ], name: "integer_indices")
    let x = Tensor(shape: [2, 4], scalars: [3, 7, 100, 5, 0, -7, 9, 12])
    return [("integer_counts", model, x), ("integer_indices", indexModel, x)]
  }
}

/// StringLookup adapting on a text dataset read from a folder, as in Keras's text
/// pipeline.
final class StringLookupDatasetTests: XCTestCase {
  func testAdaptOnATextDatasetCountsEachFileAsADocument() throws {
    let folder = try makeTemporaryDirectory("string-lookup-texts")
    defer { try? FileManager.default.removeItem(at: folder) }
    for (cls, file, text) in [
      ("neg", "a.txt", "bad"), ("neg", "b.txt", "awful"), ("pos", "c.txt", "good"),
      ("pos", "d.txt", "good"),
    ] {
      let classFolder = folder.appendingPathComponent(cls)
      try FileManager.default.createDirectory(at: classFolder, withIntermediateDirectories: true)
      try text.write(
        to: classFolder.appendingPathComponent(file), atomically: true, encoding: .utf8)
    }
    let texts = try textDatasetFromDirectory(folder.path, batchSize: 3, seed: 1)
    let lookup = StringLookup()
    try lookup.adapt(texts)
    // "good" twice, then the ties in reverse byte order, by hand.
    XCTAssertEqual(try lookup.getVocabulary(), ["[UNK]", "good", "bad", "awful"])
    let first = try XCTUnwrap(try texts.elements(seed: 1).first)
    let indices = try lookup(try StringTensor(first.x[0]))
    XCTAssertEqual(indices.shape, [3])
    XCTAssertThrowsError(try StringTensor(DataArray(Tensor([1]))))
  }
}
