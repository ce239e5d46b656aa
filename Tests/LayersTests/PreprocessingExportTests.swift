import Foundation
import SwiftKeras
import TestSupport
import XCTest

/// Writes models with preprocessing layers built, adapted and saved by SwiftKeras
/// (`.keras`, `.weights.h5` and `expected.json` with inputs and SwiftKeras's predictions)
/// for `Scripts/preprocessing_check.py` to load in real Keras: into
/// `$SWIFTKERAS_PREPROCESSING_EXPORT` when set, else a temporary directory. The test itself
/// checks that each file loads back in SwiftKeras with the same predictions.
final class PreprocessingExportTests: XCTestCase {
  func testExportPreprocessingModels() throws {
    let variable = ProcessInfo.processInfo.environment["SWIFTKERAS_PREPROCESSING_EXPORT"]
    let folder =
      try variable.map { URL(fileURLWithPath: $0) }
      ?? makeTemporaryDirectory("preprocessing-export")
    defer { if variable == nil { try? FileManager.default.removeItem(at: folder) } }
    var expected: [String: ConfigValue] = [:]
    for (key, model, x) in try NormalizationExport.models() + CategoricalExport.models()
      + LookupExport.models() + HashingExport.models()
      + RandomFlipExport.models()
    {
      let predictions = try model.predict(x: x, verbose: 0)
      try model.save(to: folder.appendingPathComponent("\(key).keras").path)
      try model.saveWeights(to: folder.appendingPathComponent("\(key).weights.h5").path)
      expected[key] = [
        "x_shape": .array(x.shape.map { .int($0) }),
        "x": .array(x.scalars.map { .double(Double($0)) }),
        "predictions": .array(predictions.scalars.map { .double(Double($0)) }),
      ]
      let reloaded = try loadModel(from: folder.appendingPathComponent("\(key).keras").path)
      assertClose(try reloaded.predict(x: x, verbose: 0), predictions, tolerance: 0, key)
    }
    try ConfigValue.object(expected).jsonString().write(
      to: folder.appendingPathComponent("expected.json"), atomically: true, encoding: .utf8)
    // String lookups run before a model: their configs, with inputs and our outputs, for
    // the script to rebuild in Keras with `from_config`.
    let words = try StringTensor(shape: [2, 3], values: ["b", "", "zz", "a", "c", "a"])
    var lookups: [ConfigValue] = []
    for layer in [
      StringLookup(vocabulary: ["a", "b", "c"], name: "string_lookup"),
      StringLookup(
        maskToken: "", vocabulary: ["a", "b", "c"], outputMode: "count", name: "string_counts"),
      StringLookup(
        vocabulary: ["a", "b", "c"], idfWeights: [0.5, 1, 2], outputMode: "tf_idf",
        name: "string_tf_idf"),
    ] {
      let output = try layer(words)
      lookups.append([
        "config": .object(layer.getConfig()),
        "input": .array(words.values.map { .string($0) }),
        "input_shape": .array(words.shape.map { .int($0) }),
        "output": .array(output.scalars.map { .double(Double($0)) }),
      ])
    }
    try ConfigValue.array(lookups).jsonString().write(
      to: folder.appendingPathComponent("string_lookups.json"), atomically: true,
      encoding: .utf8)
    // TextVectorization: configs, and for adapted layers the vocabulary.txt asset Keras's
    // own load_assets reads.
    let texts = StringTensor([
      "The cat sat on the mat.", "The dog sat; the dog ran!", "Ünïcode ÀB", "cat cat dog",
    ])
    let queries = StringTensor(["the cat ran", "dog, the end!", "", "ÀB cat sat sat sat sat"])
    var vectorizers: [ConfigValue] = []
    let adapted = TextVectorization(name: "text_vectorization")
    let bigrams = TextVectorization(
      maxTokens: 12, ngrams: 2, outputSequenceLength: 6, name: "text_bigrams")
    let counts = TextVectorization(outputMode: "count", name: "text_counts")
    let given = TextVectorization(
      outputMode: "tf_idf", vocabulary: ["the", "cat", "sat"], idfWeights: [0.5, 1, 2],
      name: "text_tf_idf")
    for layer in [adapted, bigrams, counts] { try layer.adapt(texts) }
    for layer in [adapted, bigrams, counts, given] {
      let assets = try layer.saveAssets()
      let assetFolder = folder.appendingPathComponent("assets_\(layer.name)")
      try FileManager.default.createDirectory(at: assetFolder, withIntermediateDirectories: true)
      for (file, bytes) in assets {
        try Data(bytes).write(to: assetFolder.appendingPathComponent(file))
      }
      vectorizers.append([
        "config": .object(layer.getConfig()),
        "assets": assets.isEmpty ? .null : .string(assetFolder.path),
        "input": .array(queries.values.map { .string($0) }),
        "output": .array(try layer(queries).scalars.map { .double(Double($0)) }),
      ])
    }
    try ConfigValue.array(vectorizers).jsonString().write(
      to: folder.appendingPathComponent("text_vectorizations.json"), atomically: true,
      encoding: .utf8)
  }
}
