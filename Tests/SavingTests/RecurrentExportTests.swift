import Foundation
import SwiftKeras
import TestSupport
import XCTest

/// Writes recurrent models built and saved by SwiftKeras (`.keras`, `.weights.h5` and
/// `expected.json` with inputs and SwiftKeras's predictions) for
/// `Scripts/recurrent_check.py` to load in real Keras (ConvLSTM2D and ConvLSTM1D models
/// among them): into
/// `$SWIFTKERAS_RECURRENT_EXPORT` when set, else a temporary directory. The test itself
/// checks that each file loads back in SwiftKeras with the same predictions.
final class RecurrentExportTests: XCTestCase {
  /// The models with their inputs: padded ids for the embedding model.
  private func models() throws -> [(String, Model, Tensor)] {
    setRandomSeed(17)
    let classifier = try Sequential(
      [
        Input(shape: [6]), Embedding(inputDim: 12, outputDim: 4, name: "embedding"),
        LSTM(5, name: "lstm"), Dense(3, activation: .softmax, name: "classifier"),
      ], name: "lstm_classifier")
    (classifier.layers[0] as? Embedding)?.maskZero = true
    let ids = Tensor(
      shape: [3, 6], values: [3, 7, 1, 0, 0, 0, 11, 2, 5, 9, 4, 6, 8, 0, 0, 0, 0, 0] as [Float])
    let bidirectional = try Sequential(
      [
        Input(shape: [5, 3]), Bidirectional(GRU(4, returnSequences: true), name: "bidirectional"),
        Bidirectional(LSTM(2), mergeMode: "sum", name: "bidirectional_1"), Dense(2, name: "head"),
      ], name: "bidirectional")
    let stacked = try Sequential(
      [
        Input(shape: [4, 3]),
        RNN(
          cells: [LSTMCell(units: 3), GRUCell(units: 2, resetAfter: false)],
          returnSequences: true, name: "rnn"),
        TimeDistributed(Dense(2, activation: .tanh), name: "time_distributed"),
        SimpleRNN(2, goBackwards: true, name: "simple_rnn"),
      ], name: "stacked")
    let convolutional = try Sequential(
      [
        Input(shape: [3, 5, 5, 1]),
        ConvLSTM2D(2, kernelSize: 3, padding: "same", returnSequences: true, name: "conv_lstm2d"),
        ConvLSTM2D(2, kernelSize: 2, strides: 2, goBackwards: true, name: "conv_lstm2d_1"),
        Flatten(name: "flatten"), Dense(2, name: "head"),
      ], name: "conv_lstm")
    let convolutional1D = try Sequential(
      [
        Input(shape: [4, 6, 2]), ConvLSTM1D(3, kernelSize: 2, name: "conv_lstm1d"),
        Flatten(name: "flatten"), Dense(2, name: "head"),
      ], name: "conv_lstm1d")
    func sequence(_ shape: [Int]) -> Tensor {
      let count = shape.reduce(1, *)
      return Tensor(shape: shape, values: (0..<count).map { sin(Float($0) * 0.37) })
    }
    return [
      ("lstm_classifier", classifier, ids),
      ("bidirectional", bidirectional, sequence([3, 5, 3])),
      ("stacked", stacked, sequence([3, 4, 3])),
      ("conv_lstm", convolutional, sequence([2, 3, 5, 5, 1])),
      ("conv_lstm1d", convolutional1D, sequence([2, 4, 6, 2])),
    ]
  }

  func testExportRecurrentModels() throws {
    let folder: URL
    if let path = ProcessInfo.processInfo.environment["SWIFTKERAS_RECURRENT_EXPORT"] {
      folder = URL(fileURLWithPath: path)
    } else {
      folder = try makeTemporaryDirectory("recurrent-export")
    }
    defer {
      if ProcessInfo.processInfo.environment["SWIFTKERAS_RECURRENT_EXPORT"] == nil {
        try? FileManager.default.removeItem(at: folder)
      }
    }
    var expected: [String: ConfigValue] = [:]
    for (key, model, x) in try models() {
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
  }
}
