import Foundation
import SwiftKeras

/// A character-level language model, as the Keras text-generation example: windows of
/// `sequenceLength` characters go through Embedding → LSTM → Dense(softmax), which predicts
/// the character that follows; after training, text is generated one character at a time
/// by sampling that prediction with a temperature.
///
/// ```swift
/// let text = try String(contentsOfFile: "/usr/share/common-licenses/GPL-3", encoding: .utf8)
/// let example = try CharacterTextModel(text: text)
/// let (x, y) = try example.windows(stride: 3)
/// try example.model.compile(optimizer: "adam", loss: "sparse_categorical_crossentropy")
/// try example.model.fit(x: x, y: y, batchSize: 64, epochs: 5)
/// var generator = RandomGenerator(seed: 1)
/// print(try example.generate(from: "This License", length: 200, temperature: 0.5, generator: &generator))
/// ```
public final class CharacterTextModel {
  /// The text the windows are cut from, as Unicode scalars.
  public let text: [Unicode.Scalar]
  /// The distinct characters of the text, sorted; a character's index is its token.
  public let vocabulary: [Unicode.Scalar]
  /// Characters the model reads before predicting the next one.
  public let sequenceLength: Int
  /// Embedding(vocabulary, embeddingSize) → LSTM(units) → Dense(vocabulary, softmax).
  public let model: Sequential
  private let tokens: [Unicode.Scalar: Int]

  /// Builds the vocabulary of `text` and the (uncompiled) model.
  ///
  /// - Throws: `SwiftKerasError` when the text is not longer than one window or a size is
  ///   not positive.
  public init(text: String, sequenceLength: Int = 40, embeddingSize: Int = 32, units: Int = 128)
    throws
  {
    guard sequenceLength > 0, embeddingSize > 0, units > 0 else {
      throw SwiftKerasError(
        .invalidArgument,
        "CharacterTextModel: sequenceLength (\(sequenceLength)), embeddingSize (\(embeddingSize)) and units (\(units)) must be positive"
      )
    }
    let scalars = Array(text.unicodeScalars)
    guard scalars.count > sequenceLength else {
      throw SwiftKerasError(
        .invalidArgument,
        "CharacterTextModel: the text has \(scalars.count) characters; it needs more than one window of \(sequenceLength)"
      )
    }
    self.text = scalars
    self.sequenceLength = sequenceLength
    vocabulary = Set(scalars).sorted { $0.value < $1.value }
    tokens = Dictionary(uniqueKeysWithValues: vocabulary.enumerated().map { ($1, $0) })
    model = try Sequential([
      Input(shape: [sequenceLength]),
      Embedding(inputDim: vocabulary.count, outputDim: embeddingSize),
      LSTM(units),
      Dense(vocabulary.count, activation: .softmax),
    ])
  }

  /// Training pairs: each window of `sequenceLength` tokens (`x`, `[n, sequenceLength]`)
  /// and the token after it (`y`, `[n]`), one window every `stride` characters of the
  /// characters in `range` (all of the text by default).
  public func windows(stride: Int = 3, range: Range<Int>? = nil) throws -> (x: Tensor, y: Tensor) {
    let range = range ?? 0..<text.count
    guard stride > 0, range.lowerBound >= 0, range.upperBound <= text.count,
      range.count > sequenceLength
    else {
      throw SwiftKerasError(
        .invalidArgument,
        "CharacterTextModel.windows: stride \(stride) must be positive and the range \(range) inside the text's \(text.count) characters and longer than \(sequenceLength)"
      )
    }
    let starts = Array(
      Swift.stride(from: range.lowerBound, to: range.upperBound - sequenceLength, by: stride))
    var x = [Float]()
    x.reserveCapacity(starts.count * sequenceLength)
    var y = [Float]()
    y.reserveCapacity(starts.count)
    for start in starts {
      for scalar in text[start..<(start + sequenceLength)] { x.append(Float(tokens[scalar]!)) }
      y.append(Float(tokens[text[start + sequenceLength]]!))
    }
    return (
      Tensor(shape: [starts.count, sequenceLength], scalars: x),
      Tensor(shape: [starts.count], scalars: y)
    )
  }

  /// `length` characters generated after `prompt`: each step feeds the last
  /// `sequenceLength` characters (left-padded with the prompt's first) to the model and
  /// samples the next character from its prediction sharpened (temperature below 1) or
  /// flattened (above 1) by `temperature`.
  ///
  /// - Throws: `SwiftKerasError` for an empty prompt, a character the text does not
  ///   contain, or a temperature that is not positive.
  public func generate(
    from prompt: String, length: Int, temperature: Double, generator: inout RandomGenerator
  ) throws -> String {
    guard temperature > 0, length >= 0 else {
      throw SwiftKerasError(
        .invalidArgument,
        "CharacterTextModel.generate: temperature (\(temperature)) must be positive and length (\(length)) not negative"
      )
    }
    var context = [Int]()
    for scalar in prompt.unicodeScalars {
      guard let token = tokens[scalar] else {
        throw SwiftKerasError(
          .invalidArgument,
          "CharacterTextModel.generate: the prompt's character \(scalar.escaped(asASCII: true)) is not in the text"
        )
      }
      context.append(token)
    }
    guard let first = context.first else {
      throw SwiftKerasError(.invalidArgument, "CharacterTextModel.generate: the prompt is empty")
    }
    if context.count < sequenceLength {
      context = Array(repeating: first, count: sequenceLength - context.count) + context
    }
    var generated = String.UnicodeScalarView()
    for _ in 0..<length {
      let window = context.suffix(sequenceLength).map(Float.init)
      let probabilities = try model.predict(x: Tensor(shape: [1, sequenceLength], scalars: window))
        .scalars
      let next = Self.sample(probabilities, temperature: temperature, generator: &generator)
      context.append(next)
      generated.append(vocabulary[next])
    }
    return String(generated)
  }

  /// An index drawn from `probabilities` raised to the power 1 / `temperature` and
  /// renormalised (Keras's example computes the same through log and exp).
  static func sample(
    _ probabilities: [Float], temperature: Double, generator: inout RandomGenerator
  )
    -> Int
  {
    let logs = probabilities.map { log(Double(max($0, 1e-12))) / temperature }
    let top = logs.max() ?? 0
    let weights = logs.map { exp($0 - top) }
    var draw = Double(generator.nextUniform()) * weights.reduce(0, +)
    for (index, weight) in weights.enumerated() {
      draw -= weight
      if draw < 0 { return index }
    }
    return weights.count - 1
  }
}
