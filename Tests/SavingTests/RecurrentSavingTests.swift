import Foundation
import SwiftKeras
import TestSupport
import XCTest

/// Keras's recurrent models and masks (`Tests/Fixtures/recurrent.json` and the `.keras`
/// and `.weights.h5` files under `Tests/Fixtures/recurrent`, written by
/// `Scripts/fixtures/recurrent.py`).
final class RecurrentSavingTests: XCTestCase {
  private static let json: FixtureJSON = {
    guard let data = try? Data(contentsOf: fixtureURL("recurrent.json")),
      let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    else { return FixtureJSON([:]) }
    return FixtureJSON(object)
  }()

  private func model(_ key: String) throws -> [String: Any] {
    try XCTUnwrap((Self.json["models"] as? [String: Any])?[key] as? [String: Any], key)
  }

  private func masking(_ key: String) throws -> [String: Any] {
    try XCTUnwrap((Self.json["masking"] as? [String: Any])?[key] as? [String: Any], key)
  }

  private func maxDifference(_ a: Tensor, _ b: Tensor) -> Float {
    zip(a.scalars, b.scalars).reduce(0) { max($0, abs($1.0 - $1.1)) }
  }

  /// The LSTM classifier with a maskZero embedding, the Bidirectional GRU and a masked
  /// stack (Masking, stacked cells, TimeDistributed, a backwards SimpleRNN), saved by
  /// Keras, load and predict as Keras does (padded rows included), with Keras's summary.
  func testKerasFilesLoadAndPredict() throws {
    for key in ["lstm_classifier", "bidirectional_gru", "stacked_masked"] {
      let expected = try model(key)
      let loaded = try loadModel(from: fixtureURL("recurrent/\(key).keras").path)
      let x = tensor(from: expected["x"] as Any)
      let predictions = try loaded.predict(x: x, verbose: 0)
      let reference = tensor(from: expected["predictions"] as Any)
      XCTAssertEqual(predictions.shape, reference.shape, key)
      let difference = maxDifference(predictions, reference)
      XCTAssertLessThanOrEqual(difference, 1e-5, "\(key): predictions")
      print("recurrent .keras \(key): max abs prediction diff \(difference)")
      XCTAssertEqual(loaded.countParams(), expected["total_params"] as? Int, key)
      XCTAssertEqual(loaded.summaryText(), expected["summary"] as? String, key)

      // The same weights read from Keras's .weights.h5 into a freshly built copy.
      let copy = try modelFromJSON(try loaded.toJSON())
      try copy.loadWeights(from: fixtureURL("recurrent/\(key).weights.h5").path)
      let again = try copy.predict(x: x, verbose: 0)
      XCTAssertLessThanOrEqual(maxDifference(again, reference), 1e-5, "\(key): .weights.h5")
    }
  }

  /// A model saved by SwiftKeras loads back with the same predictions, and its weights
  /// file has Keras's paths (checked against Keras by Scripts/recurrent_check.py).
  func testSavedRecurrentModelsRoundTrip() throws {
    let folder = try makeTemporaryDirectory("recurrent-round-trip")
    defer { try? FileManager.default.removeItem(at: folder) }
    for key in ["lstm_classifier", "bidirectional_gru", "stacked_masked"] {
      let expected = try model(key)
      let loaded = try loadModel(from: fixtureURL("recurrent/\(key).keras").path)
      let path = folder.appendingPathComponent("\(key).keras").path
      try loaded.save(to: path)
      let reloaded = try loadModel(from: path)
      let x = tensor(from: expected["x"] as Any)
      XCTAssertLessThanOrEqual(
        maxDifference(try reloaded.predict(x: x, verbose: 0), try loaded.predict(x: x, verbose: 0)),
        0, key)
      let weightsPath = folder.appendingPathComponent("\(key).weights.h5").path
      try loaded.saveWeights(to: weightsPath)
      let copy = try modelFromJSON(try loaded.toJSON())
      try copy.loadWeights(from: weightsPath)
      XCTAssertEqual(copy.getWeights().map(\.scalars), loaded.getWeights().map(\.scalars), key)
    }
  }

  /// Masking → LSTM(returnSequences) → GlobalAveragePooling1D: masked steps (at the end
  /// and in the middle) are skipped by the LSTM and left out of the mean, as in Keras.
  func testMaskingLayerMasksStepsThroughAModel() throws {
    let expected = try masking("masking_lstm_gap")
    let model = try Sequential([
      Input(shape: [5, 2]), Masking(maskValue: 0), LSTM(3, returnSequences: true),
      GlobalAveragePooling1D(),
    ])
    try model.setWeights((expected["weights"] as? [Any] ?? []).map(tensor(from:)))
    let x = tensor(from: expected["x"] as Any)
    assertClose(try model(x), tensor(from: expected["output"] as Any), tolerance: 1e-5, "output")
    let mask = try model.layers[0].computeMask([x], mask: nil)
    XCTAssertEqual(mask, tensor(from: expected["mask"] as Any))
  }

  /// Embedding(maskZero) → Dense → GRU(returnSequences) with an MSE loss and an MAE
  /// metric: the mask passes through Dense, the GRU carries states over padding, and
  /// evaluate leaves the padded steps out of the loss and the metric, as Keras does.
  func testMaskedSequenceLossAndMetric() throws {
    let expected = try masking("embedding_dense_gru_loss")
    let input = Input(shape: [5])
    let embedded = try Embedding(inputDim: 8, outputDim: 3, embeddingsInitializer: Zeros())(input)
    let dense = try Dense(4, activation: .tanh)(embedded)
    let output = try GRU(2, returnSequences: true)(dense)
    let model = try Model(inputs: input, outputs: output)
    let embedding = try XCTUnwrap(model.layers[1] as? Embedding)
    embedding.maskZero = true
    try model.setWeights((expected["weights"] as? [Any] ?? []).map(tensor(from:)))
    let ids = tensor(from: expected["ids"] as Any)
    assertClose(try model(ids), tensor(from: expected["output"] as Any), tolerance: 1e-5, "output")
    try model.compile(optimizer: "sgd", loss: "mse", metrics: ["mae"])
    let scores = try model.evaluate(x: ids, y: tensor(from: expected["y_true"] as Any), verbose: 0)
    let loss = try XCTUnwrap(expected["loss"] as? Double)
    let mae = try XCTUnwrap(expected["mae"] as? Double)
    XCTAssertEqual(Double(try XCTUnwrap(scores["loss"])), loss, accuracy: 1e-5)
    // Keras logs the metric as "mae"; SwiftKeras logs it under its full name.
    let ours = try XCTUnwrap(scores["mean_absolute_error"])
    XCTAssertEqual(Double(ours), mae, accuracy: 1e-5)

    // Per-sequence sample weights do not fit per-step losses (Keras fails on them too):
    // an error, not a crash.
    XCTAssertThrowsError(
      try model.evaluate(
        x: ids, y: tensor(from: expected["y_true"] as Any), verbose: 0,
        sampleWeight: Tensor([1, 0.5, 2])))

    // One SGD step on the masked loss moves every weight as Keras's step does.
    try model.compile(optimizer: SGD(learningRate: 0.5), loss: "mse")
    _ = try model.trainOnBatch(x: ids, y: tensor(from: expected["y_true"] as Any))
    let after = (expected["weights_after_sgd_step"] as? [Any] ?? []).map(tensor(from:))
    XCTAssertEqual(after.count, model.weights.count)
    var worst: Float = 0
    for (ours, theirs) in zip(model.getWeights(), after) {
      assertClose(ours, theirs, tolerance: 1e-5, "weights after one masked SGD step")
      worst = max(worst, maxDifference(ours, theirs))
    }
    print("masked SGD step: max abs weight diff \(worst)")
    print(
      "masked evaluate: loss diff \(abs(Double(scores["loss"] ?? 0) - loss)), mae diff \(abs(Double(ours) - mae))"
    )
  }
  /// Masks through merging layers (Add: masked where any input is; Concatenate along time:
  /// the masks joined; Concatenate with an unmasked input: nothing masked), and a mask
  /// made inside a nested Sequential model, against Keras.
  func testMergedAndNestedMasks() throws {
    let expected = try masking("merges")
    let in1 = Input(shape: [5])
    let in2 = Input(shape: [5])
    let in3 = Input(shape: [5, 2])
    let e1 = try Embedding(inputDim: 10, outputDim: 3, maskZero: true)(in1)
    let e2 = try Embedding(inputDim: 10, outputDim: 3, maskZero: true)(in2)
    let added = try LSTM(2, returnSequences: true)(try Add()([e1, e2]))
    let joinedTime = try GRU(2)(try Concatenate(axis: 1)([e1, e2]))
    let joinedFeatures = try SimpleRNN(2)(try Concatenate()([e1, in3]))
    let model = try Model(
      inputs: [in1, in2, in3], outputs: [added, joinedTime, joinedFeatures])
    try model.setWeights((expected["weights"] as? [Any] ?? []).map(tensor(from:)))
    let outputs = try model.callOutputs(
      [
        tensor(from: expected["ids1"] as Any), tensor(from: expected["ids2"] as Any),
        tensor(from: expected["dense"] as Any),
      ], training: false)
    let references = (expected["outputs"] as? [Any] ?? []).map(tensor(from:))
    XCTAssertEqual(outputs.count, 3)
    for (k, (ours, theirs)) in zip(outputs, references).enumerated() {
      assertClose(ours, theirs, tolerance: 1e-5, "merge output \(k)")
    }

    // Multiply, Maximum and Minimum replace masked values, as Keras's.
    let values = try masking("merge_values")
    let in4 = Input(shape: [5, 3])
    let product = try Multiply()([e1, e2])
    let largest = try Maximum()([e1, e2])
    let smallest = try Minimum()([e1, in4])
    let after = try LSTM(2, returnSequences: true)(try Multiply()([e1, in4]))
    let valueModel = try Model(
      inputs: [in1, in2, in4], outputs: [product, largest, smallest, after])
    try valueModel.setWeights((values["weights"] as? [Any] ?? []).map(tensor(from:)))
    let valueOutputs = try valueModel.callOutputs(
      [
        tensor(from: values["ids1"] as Any), tensor(from: values["ids2"] as Any),
        tensor(from: values["dense"] as Any),
      ], training: false)
    let valueReferences = (values["outputs"] as? [Any] ?? []).map(tensor(from:))
    XCTAssertEqual(valueOutputs.count, 4)
    for (k, (ours, theirs)) in zip(valueOutputs, valueReferences).enumerated() {
      assertClose(ours, theirs, tolerance: 1e-5, "masked merge value output \(k)")
    }

    let nested = try masking("nested_sequential")
    let inner = try Sequential([
      Input(shape: [5]), Embedding(inputDim: 10, outputDim: 3, maskZero: true),
    ])
    let input = Input(shape: [5])
    let outer = try Model(inputs: input, outputs: try LSTM(2)(try inner(input)))
    try outer.setWeights((nested["weights"] as? [Any] ?? []).map(tensor(from:)))
    assertClose(
      try outer(tensor(from: nested["ids"] as Any)), tensor(from: nested["output"] as Any),
      tolerance: 1e-5, "nested Sequential's mask")
  }

  /// Summaries of recurrent models built in Swift equal Keras's text: a functional
  /// encoder-decoder whose LSTM returns its states (several output shapes, "Connected to"
  /// with the state indices) and a Sequential of wrappers and stacked cells.
  func testSummariesOfRecurrentModels() throws {
    let source = Input(shape: [12, 8], name: "source")
    let target = Input(shape: [10, 8], name: "target")
    let encoded = try LSTM(16, returnState: true, name: "encoder").callOutputs([source])
    let decoded = try LSTM(16, returnSequences: true, name: "decoder")([
      target, encoded[1], encoded[2],
    ])
    let logits = try TimeDistributed(Dense(8, name: "dense"), name: "per_step")(decoded)
    let seq2seq = try Model(inputs: [source, target], outputs: logits, name: "seq2seq")
    let expected = try model("seq2seq_summary")
    XCTAssertEqual(seq2seq.countParams(), expected["total_params"] as? Int)
    XCTAssertEqual(seq2seq.summaryText(), expected["summary"] as? String)

    let tagger = try Sequential(
      [
        Input(shape: [30, 16]),
        Bidirectional(GRU(8, returnSequences: true), name: "bidirectional"),
        RNN(
          cells: [LSTMCell(units: 8), SimpleRNNCell(units: 4)], returnSequences: true,
          name: "rnn"),
        TimeDistributed(Dense(5, activation: .softmax), name: "time_distributed"),
        SimpleRNN(3, name: "simple_rnn"),
      ], name: "tagger")
    let taggerExpected = try model("tagger_summary")
    XCTAssertEqual(tagger.countParams(), taggerExpected["total_params"] as? Int)
    XCTAssertEqual(tagger.summaryText(), taggerExpected["summary"] as? String)
  }

  /// A mask entering a nested Sequential model reaches its LSTM, and the mask its Dense
  /// passes on reaches the pooling after the model, as in Keras.
  func testMaskEntersANestedModel() throws {
    let expected = try masking("mask_into_nested")
    let inner = try Sequential([
      Input(shape: [5, 3]), LSTM(2, returnSequences: true), Dense(2),
    ])
    let input = Input(shape: [5])
    let embedded = try Embedding(inputDim: 10, outputDim: 3, maskZero: true)(input)
    let model = try Model(
      inputs: input, outputs: try GlobalAveragePooling1D()(try inner(embedded)))
    try model.setWeights((expected["weights"] as? [Any] ?? []).map(tensor(from:)))
    assertClose(
      try model(tensor(from: expected["ids"] as Any)), tensor(from: expected["output"] as Any),
      tolerance: 1e-5, "mask through a nested model")
  }
}
