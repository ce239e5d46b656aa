import Foundation
import SwiftKerasCore

/// A token of a lookup vocabulary: a string (`StringLookup`) or an integer
/// (`IntegerLookup`).
protocol LookupToken: Hashable {
  /// Keras's adapt orders tokens of equal count by `np.lexsort` on the tokens, reversed:
  /// whether `self` sorts after `other` (UTF-8 bytes for strings, values for integers).
  func sortsAfter(_ other: Self) -> Bool
  /// The token as a line of `vocabulary.txt`.
  var line: String { get }
  /// The token read from a line of `vocabulary.txt`.
  init?(line: String)
  /// The token as a config value.
  var configValue: ConfigValue { get }
}

extension String: LookupToken {
  func sortsAfter(_ other: String) -> Bool { other.utf8.lexicographicallyPrecedes(utf8) }
  var line: String { self }
  init?(line: String) { self = line }
}

extension Int64: LookupToken {
  func sortsAfter(_ other: Int64) -> Bool { self > other }
  var line: String { String(self) }
  init?(line: String) { self.init(line.trimmingCharacters(in: .whitespaces), radix: 10) }
  var configValue: ConfigValue { .int(Int(self)) }
}

/// The state and arithmetic shared by `StringLookup` and `IntegerLookup`, as Keras's
/// `IndexLookup`: the vocabulary with its reserved indices (the mask token at 0 in `int`
/// mode, then `numOovIndices` out-of-vocabulary indices), `adapt`'s token counts, and
/// the lookups both ways.
struct IndexLookup<Token: LookupToken> {
  /// Keras's layer class name, for errors.
  let kind: String
  /// The layer's name, for errors.
  var layer: String
  var maxTokens: Int?
  var numOovIndices: Int
  var maskToken: Token?
  var oovToken: Token?
  var outputMode: String
  var padToMaxTokens: Bool
  var invert: Bool

  /// The learned or given tokens, without the reserved ones (nil before either).
  private(set) var tokens: [Token]?
  private var index: [Token: Int] = [:]
  /// The inverse document frequencies per index (`tf_idf`), padded as Keras pads them.
  private(set) var idfWeights: [Float]?

  init(
    kind: String, layer: String, maxTokens: Int?, numOovIndices: Int, maskToken: Token?,
    oovToken: Token?, outputMode: String, padToMaxTokens: Bool, invert: Bool
  ) {
    self.kind = kind
    self.layer = layer
    self.maxTokens = maxTokens
    self.numOovIndices = numOovIndices
    self.maskToken = maskToken
    self.oovToken = oovToken
    self.outputMode = outputMode
    self.padToMaxTokens = padToMaxTokens
    self.invert = invert
  }

  private var counts: [Token: Int] = [:]
  private var documentCounts: [Token: Int] = [:]
  private var documents = 0

  /// The index of the first out-of-vocabulary slot.
  var oovStart: Int { maskToken != nil && outputMode == "int" ? 1 : 0 }
  /// The index of the first vocabulary token.
  var tokenStart: Int { oovStart + numOovIndices }
  /// The number of indices, reserved ones included.
  var vocabularySize: Int { tokenStart + (tokens?.count ?? 0) }

  /// Checks the arguments as Keras's constructor.
  func validate() throws {
    if let maxTokens, maxTokens <= 1 {
      throw error("max_tokens must be greater than 1, got \(maxTokens)")
    }
    if padToMaxTokens && maxTokens == nil {
      throw error("pad_to_max_tokens needs max_tokens")
    }
    guard numOovIndices >= 0 else {
      throw error("num_oov_indices must be at least 0, got \(numOovIndices)")
    }
    guard ["int", "one_hot", "multi_hot", "count", "tf_idf"].contains(outputMode) else {
      throw error(
        "output_mode must be int, one_hot, multi_hot, count or tf_idf, got '\(outputMode)'")
    }
    if invert && outputMode != "int" {
      throw error("output_mode must be 'int' when invert is true, got '\(outputMode)'")
    }
  }

  func error(_ message: String, _ kind: SwiftKerasError.Kind = .invalidArgument)
    -> SwiftKerasError
  {
    SwiftKerasError(kind, "layer '\(layer)' (\(self.kind)): \(message)")
  }

  /// The vocabulary with the reserved tokens first, as Keras's `get_vocabulary()`.
  func vocabulary(includingSpecialTokens: Bool = true) -> [Token?] {
    let reserved: [Token?] =
      [Token?](repeating: oovToken, count: tokenStart)
    var all = reserved + (tokens ?? []).map { Optional($0) }
    if maskToken != nil && outputMode == "int" && !all.isEmpty { all[0] = maskToken }
    return includingSpecialTokens ? all : Array(all.dropFirst(tokenStart))
  }

  /// Sets the vocabulary (reserved tokens at its start are recognised and skipped) and,
  /// for `tf_idf`, its weights, as Keras's `set_vocabulary`.
  mutating func setVocabulary(_ vocabulary: [Token], idfWeights weights: [Float]?) throws {
    if outputMode == "tf_idf" {
      guard let weights else { throw error("idf_weights must be given in tf_idf mode") }
      guard weights.count == vocabulary.count else {
        throw error(
          "idf_weights has \(weights.count) values but the vocabulary \(vocabulary.count)")
      }
    } else if weights != nil {
      throw error("idf_weights are only used in tf_idf mode, not '\(outputMode)'")
    }
    guard !vocabulary.isEmpty else { throw error("the vocabulary is empty") }
    let special =
      [Token?](repeating: maskToken, count: oovStart)
      + [Token?](repeating: oovToken, count: numOovIndices)
    let foundSpecial =
      vocabulary.count >= tokenStart
      && zip(special, vocabulary.prefix(tokenStart)).allSatisfy { $0 == $1 }
    let learned = foundSpecial ? Array(vocabulary.dropFirst(tokenStart)) : vocabulary
    var seen = Set<Token>()
    let repeated = learned.filter { !seen.insert($0).inserted }
    guard repeated.isEmpty else {
      throw error("the vocabulary repeats \(repeated.map(\.line)); give each token once")
    }
    if let maskToken, seen.contains(maskToken) {
      throw error(
        "the mask token '\(maskToken.line)' is in the vocabulary; leave reserved tokens out, or put them first in order"
      )
    }
    if invert, let oovToken, seen.contains(oovToken) {
      throw error("the OOV token '\(oovToken.line)' is in the vocabulary of an inverted lookup")
    }
    if let maxTokens, tokenStart + learned.count > maxTokens {
      throw error(
        "a vocabulary of \(tokenStart + learned.count) indices exceeds max_tokens \(maxTokens)")
    }
    setTokens(learned)
    if outputMode == "tf_idf", let weights {
      let front = foundSpecial ? 0 : tokenStart
      let average = Float(weights.reduce(0.0) { $0 + Double($1) } / Double(weights.count))
      var padded = [Float](repeating: foundSpecial ? 0 : average, count: front) + weights
      if padToMaxTokens, let maxTokens {
        padded += [Float](repeating: 0, count: maxTokens - padded.count)
      }
      idfWeights = padded
    }
  }

  private mutating func setTokens(_ learned: [Token]) {
    tokens = learned
    index = [:]
    for (offset, token) in learned.enumerated() { index[token] = tokenStart + offset }
  }

  /// Starts a new `adapt`.
  mutating func resetCounts() {
    counts = [:]
    documentCounts = [:]
    documents = 0
  }

  /// Counts the tokens of one batch of `rows` documents (Keras's `update_state`).
  mutating func count(_ values: [Token], rows: Int) {
    for token in values { counts[token, default: 0] += 1 }
    guard outputMode == "tf_idf", rows > 0 else { return }
    let perRow = values.count / rows
    for row in 0..<rows {
      for token in Set(values[(row * perRow)..<((row + 1) * perRow)]) {
        documentCounts[token, default: 0] += 1
      }
    }
    documents += rows
  }

  /// Orders the counted tokens as Keras's `finalize_state`: most frequent first, ties in
  /// reverse token order, cut to `maxTokens`; computes `tf_idf` weights.
  mutating func finishAdapt() {
    if let maskToken { counts[maskToken] = nil }
    if let oovToken { counts[oovToken] = nil }
    guard !counts.isEmpty else { return }
    var ordered = counts.sorted { a, b in
      a.value != b.value ? a.value > b.value : a.key.sortsAfter(b.key)
    }.map(\.key)
    if let maxTokens { ordered = Array(ordered.prefix(Swift.max(0, maxTokens - tokenStart))) }
    setTokens(ordered)
    if outputMode == "tf_idf" {
      // log(1 + N / (1 + df)) in double precision, cast to float32, as TensorFlow.
      let weights = ordered.map { token in
        Float(Foundation.log(1 + Double(documents) / Double(1 + (documentCounts[token] ?? 0))))
      }
      let mean = weights.isEmpty ? 0 : weights.reduce(0, +) / Float(weights.count)
      var padded = [Float](repeating: mean, count: tokenStart) + weights
      if padToMaxTokens, let maxTokens, maxTokens > padded.count {
        padded += [Float](repeating: 0, count: maxTokens - padded.count)
      }
      idfWeights = padded
    }
    resetCounts()
  }

  /// The index of each token (−1 for a mask token outside `int` mode, which then adds
  /// nothing), out-of-vocabulary tokens spread over the OOV indices by `oovIndex`.
  func indices(of values: [Token], oovIndex: (Token) throws -> Int) throws -> [Float] {
    guard tokens != nil || outputMode == "int" else {
      throw error(
        "set a vocabulary or call adapt before using a \(outputMode) lookup", .invalidState)
    }
    return try values.map { token -> Float in
      if let maskToken, token == maskToken { return outputMode == "int" ? 0 : -1 }
      if let found = index[token] { return Float(found) }
      switch numOovIndices {
      case 0:
        throw error(
          "'\(token.line)' is not in the vocabulary and num_oov_indices is 0; set num_oov_indices to 1 or more"
        )
      case 1: return Float(oovStart)
      default: return Float(try oovIndex(token) + oovStart)
      }
    }
  }

  /// The token of each index, as Keras's inverted lookup: the mask token for 0 when
  /// there is one, the OOV token for reserved and unknown indices.
  func tokens(of indices: [Float]) throws -> [Token?] {
    let all = tokens ?? []
    return try indices.map { value -> Token? in
      guard value.rounded() == value, value.isFinite else {
        throw error("an inverted lookup takes integer indices, found \(value)")
      }
      let position = Int(value)
      if maskToken != nil && position == 0 { return maskToken }
      if position >= tokenStart && position < tokenStart + all.count {
        return all[position - tokenStart]
      }
      return oovToken
    }
  }

  /// Encodes looked-up indices as `outputMode` says.
  func encode(_ indices: Tensor) throws -> Tensor {
    let depth = padToMaxTokens ? (maxTokens ?? vocabularySize) : vocabularySize
    return try CategoricalOutput.encode(
      indices, mode: outputMode == "tf_idf" ? "count" : outputMode, depth: depth,
      skipNegative: true, layer: layer, kind: kind
    ).applyingIDF(outputMode == "tf_idf" ? idfWeights : nil, depth: depth)
  }

  /// The output shape for inputs of `shape`; `knownSize` is the config's
  /// `vocabulary_size` (Keras's frozen size), which a model loading a `.keras` file
  /// needs before the vocabulary itself is read from the archive's assets.
  func outputShape(_ shape: Shape, knownSize: Int?) -> Shape {
    let size = tokens == nil ? (knownSize ?? vocabularySize) : vocabularySize
    let depth = padToMaxTokens ? (maxTokens ?? size) : size
    if outputMode == "int" { return shape }
    if outputMode == "one_hot" {
      return shape.count > 1 && shape.last == 1
        ? Array(shape.dropLast()) + [depth] : shape + [depth]
    }
    return Array(shape.dropLast()) + [depth]
  }

  /// `vocabulary.txt` as Keras's `save_assets` writes it: one token a line, no final
  /// newline (a mask or OOV token that is nil is written as `None`, as Keras's `str`).
  func vocabularyFile() -> [UInt8] {
    Array(vocabulary().map { $0?.line ?? "None" }.joined(separator: "\n").utf8)
  }

  /// Reads `vocabulary.txt` (Keras's `load_assets`).
  mutating func loadVocabularyFile(_ bytes: [UInt8]) throws {
    guard let text = String(bytes: bytes, encoding: .utf8) else {
      throw error("vocabulary.txt is not UTF-8", .invalidData)
    }
    var lines = text.components(separatedBy: "\n")
    while lines.last == "" { lines.removeLast() }
    let parsed = try lines.map { line -> Token in
      guard let token = Token(line: line) else {
        throw error("vocabulary.txt has a line '\(line)' that is not a token", .invalidData)
      }
      return token
    }
    try setVocabulary(parsed, idfWeights: outputMode == "tf_idf" ? idfWeights : nil)
  }
}

extension Tensor {
  /// Multiplies the last axis by `weights` (tf_idf), or returns the tensor unchanged.
  fileprivate func applyingIDF(_ weights: [Float]?, depth: Int) -> Tensor {
    guard let weights, weights.count == depth else { return self }
    return self * Tensor(weights)
  }
}
