import SwiftKeras
import TestSupport
import XCTest

// The code of Docs/Sequences.md, kept compiling and running.

/// Docs/Sequences.md, "Your own cell".
final class MinimalCell: Layer, ConfigInitializable, RecurrentCell {
  @Config var units = 8
  var kernel: Variable?

  convenience init(units: Int) {
    self.init(name: nil)
    self.units = units
  }

  var stateSizes: [Int] { [units] }
  var outputSize: Int { units }

  override func build(inputShape: Shape) throws {
    guard let features = inputShape.last ?? nil else {
      throw SwiftKerasError(.shapeMismatch, "MinimalCell needs a known feature axis")
    }
    kernel = addWeight(
      name: "kernel", shape: [features + units, units], initializer: GlorotUniform())
  }

  func step(_ input: Tensor, states: [Tensor], training: Bool) throws -> (
    output: Tensor, states: [Tensor]
  ) {
    guard let kernel else { throw SwiftKerasError(.invalidState, "MinimalCell is not built") }
    let h = tanh(matmul(Tensor.concatenate([input, states[0]], alongAxis: 1), kernel.value))
    return (h, [h])
  }
}

final class SequencesDocTests: XCTestCase {
  /// "A text classifier": right-padded ids; the padding does not change the output.
  func testTextClassifier() throws {
    setRandomSeed(4)
    let model = try Sequential([
      Input(shape: [20]),
      Embedding(inputDim: 1000, outputDim: 32, maskZero: true),
      LSTM(64),
      Dense(1, activation: .sigmoid),
    ])
    try model.compile(optimizer: "adam", loss: "binary_crossentropy", metrics: ["accuracy"])
    var values = [Float](repeating: 0, count: 16 * 20)
    for row in 0..<16 {
      for step in 0..<(3 + row % 10) {
        values[row * 20 + step] = Float((row * 31 + step * 7) % 999 + 1)
      }
    }
    let ids = Tensor(shape: [16, 20], scalars: values)
    let labels = Tensor(shape: [16, 1], scalars: (0..<16).map { Float($0 % 2) })
    let history = try model.fit(x: ids, y: labels, epochs: 3, verbose: 0)
    XCTAssertEqual(history.history["loss"]?.count, 3)

    // The output is the LSTM's state after the last real word: an LSTM run on the
    // first 3 embedded words alone (row 0 has 3) gives the model's output.
    let first = ids.slice(0..<1, alongAxis: 0)
    let embedded = try model.layers[0](first).slice(0..<3, alongAxis: 1)
    let unpadded = LSTM(64)
    _ = try unpadded(embedded)
    try unpadded.setWeights(model.layers[1].getWeights())
    assertClose(
      try model.layers[2](try unpadded(embedded)), try model(first), tolerance: 1e-5,
      "padding is skipped")
  }

  /// "Outputs and states": an encoder whose final states start a decoder.
  func testEncoderDecoder() throws {
    let source = Input(shape: [12, 8])
    let target = Input(shape: [10, 8])
    let encoded = try LSTM(32, returnState: true).callOutputs([source])
    let decoded = try LSTM(32, returnSequences: true)([target, encoded[1], encoded[2]])
    let logits = try TimeDistributed(Dense(8))(decoded)
    let seq2seq = try Model(inputs: [source, target], outputs: logits)
    XCTAssertEqual(encoded.map(\.shape), [[nil, 32], [nil, 32], [nil, 32]])
    let y = try seq2seq.callOutputs(
      [Tensor.ones([2, 12, 8]), Tensor.ones([2, 10, 8])], training: false)
    XCTAssertEqual(y[0].shape, [2, 10, 8])
  }

  /// "Stacked, bidirectional and per-step layers".
  func testTagger() throws {
    let tagger = try Sequential([
      Input(shape: [30, 16]),
      Bidirectional(GRU(32, returnSequences: true)),
      RNN(cells: [LSTMCell(units: 32), LSTMCell(units: 16)], returnSequences: true),
      TimeDistributed(Dense(5, activation: .softmax)),
    ])
    XCTAssertEqual(tagger.layerOutputShapes, [[nil, 30, 64], [nil, 30, 16], [nil, 30, 5]])
    let y = try tagger(Tensor.ones([2, 30, 16]))
    XCTAssertEqual(y.shape, [2, 30, 5])
    assertClose(y.sum(alongAxis: 2), Tensor.ones([2, 30]), tolerance: 1e-5, "softmax rows")
  }

  /// "Your own cell": trains through the tape and loads back from its config.
  func testOwnCell() throws {
    let layer = RNN(cell: MinimalCell(units: 8), returnSequences: true)
    let model = try Sequential([Input(shape: [5, 3]), layer])
    let x = testInput([2, 5, 3], seed: 1)
    XCTAssertEqual(try model(x).shape, [2, 5, 8])
    let copy = try modelFromJSON(try model.toJSON())
    try copy.setWeights(model.getWeights())
    assertClose(try copy(x), try model(x), tolerance: 0, "reloaded cell")
  }

  /// "Masks": an eager call with a mask; masked steps repeat the previous output.
  func testEagerMask() throws {
    let lstm = LSTM(16, returnSequences: true)
    let mask = Tensor([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]])
    let outputs = try lstm.callOutputs(
      [testInput([2, 5, 8], seed: 2)], mask: mask, training: false)
    let first = outputs[0][0]
    XCTAssertEqual(first[3].scalars, first[2].scalars)
    XCTAssertEqual(first[4].scalars, first[2].scalars)
    XCTAssertEqual(try lstm.computeMask([Tensor.zeros([2, 5, 8])], mask: mask), mask)
  }
}
