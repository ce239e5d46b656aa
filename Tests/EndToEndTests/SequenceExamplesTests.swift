import Foundation
import SwiftKeras
import SwiftKerasExamples
import TestSupport
import XCTest

/// The examples of Docs/Sequences.md, in small versions.
final class SequenceExamplesTests: XCTestCase {
  /// The character-level text model of `swiftkeras-demo --model text`, on the first
  /// 3,000 characters of the GPL text Debian ships: its loss falls over a few epochs and
  /// it generates characters of the text's vocabulary.
  func testCharacterTextModelLossFallsAndGenerates() throws {
    let text = try String(contentsOfFile: "/usr/share/common-licenses/GPL-3", encoding: .utf8)
    setRandomSeed(4)
    let example = try CharacterTextModel(
      text: text, sequenceLength: 20, embeddingSize: 16, units: 32)
    let (x, y) = try example.windows(stride: 2, range: 0..<3000)
    XCTAssertEqual(x.shape, [1490, 20])
    XCTAssertEqual(y.shape, [1490])
    try example.model.compile(
      optimizer: try .adam(learningRate: 0.01), loss: "sparse_categorical_crossentropy")
    let history = try example.model.fit(x: x, y: y, batchSize: 64, epochs: 4, verbose: 0)
    let losses = history["loss"]
    XCTAssertEqual(losses.count, 4)
    // Uniform guessing over the vocabulary costs log(vocabulary) ≈ 4.4.
    XCTAssertLessThan(losses[3], losses[0] - 0.3, "losses \(losses)")
    XCTAssertLessThan(losses[3], log(Float(example.vocabulary.count)) - 1, "losses \(losses)")

    var generator = RandomGenerator(seed: 1)
    let sample = try example.generate(
      from: "This License", length: 30, temperature: 0.5, generator: &generator)
    XCTAssertEqual(sample.unicodeScalars.count, 30)
    XCTAssertTrue(sample.unicodeScalars.allSatisfy { example.vocabulary.contains($0) })
  }

  func testCharacterTextModelRejectsBadInput() throws {
    XCTAssertThrowsError(try CharacterTextModel(text: "short", sequenceLength: 10))
    let example = try CharacterTextModel(
      text: String(repeating: "abc ", count: 20), sequenceLength: 8, embeddingSize: 4, units: 4)
    var generator = RandomGenerator(seed: 1)
    XCTAssertThrowsError(
      try example.generate(from: "xyz", length: 5, temperature: 1, generator: &generator))
    XCTAssertThrowsError(
      try example.generate(from: "abc", length: 5, temperature: 0, generator: &generator))
    XCTAssertThrowsError(try example.windows(stride: 0))
    XCTAssertThrowsError(try example.windows(stride: 1, range: 0..<200))
  }

  /// The demo's `--model lstm` and the benchmark's Transformer block have the parameter
  /// counts Keras gives them.
  func testExampleSequenceModelsParameterCounts() throws {
    XCTAssertEqual(try ExampleModels.rowLSTM().countParams(), 81_674)
    let block = try ExampleModels.transformerEncoderBlock(
      sequenceLength: 16, width: 32, heads: 4, hidden: 64)
    // Attention 4·(32·32 + 32), feed-forward 32·64 + 64 + 64·32 + 32, two norms 2·64.
    XCTAssertEqual(block.countParams(), 4 * (32 * 32 + 32) + (32 * 64 + 64 + 64 * 32 + 32) + 128)
    XCTAssertThrowsError(
      try ExampleModels.transformerEncoderBlock(sequenceLength: 4, width: 30, heads: 4, hidden: 8))
  }
}
