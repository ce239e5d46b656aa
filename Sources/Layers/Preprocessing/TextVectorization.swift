import SwiftKerasCore

/// Turns text into token indices or token-count rows, as `keras.layers.TextVectorization`:
/// each string is standardized (`lower_and_strip_punctuation` by default: ASCII letters
/// lowercased and ASCII punctuation removed, as TensorFlow's byte-wise `lower` and
/// Keras's regex), split (`whitespace`, or `character` into Unicode scalars), expanded
/// into `ngrams` (all 1-grams, then 2-grams, ... joined by a space), then looked up in a
/// vocabulary — given, or learned by ``adapt(_:)`` as `StringLookup` learns it, with
/// `""` as the mask (index 0) and `"[UNK]"` as the one OOV index.
///
/// `outputMode` `int` gives `[batch, outputSequenceLength]` indices (cut or padded with
/// 0; without a length, padded to the longest text of the batch); `multi_hot`, `count`
/// and `tf_idf` give `[batch, vocabularySize]` rows.
///
/// Text is not a ``Tensor``: the layer runs on a ``StringTensor`` of shape `[batch]` or
/// `[batch, 1]` before the model and hands the model a tensor.
///
/// ```swift
/// let vectorize = TextVectorization(maxTokens: 1000, outputSequenceLength: 20)
/// try vectorize.adapt(StringTensor(trainTexts))
/// let ids = try vectorize(StringTensor(["the cat sat"]))        // [1, 20]
/// ```
///
/// A given vocabulary is in the config; a learned one is saved as Keras saves it,
/// `vocabulary.txt` among the layer's assets. Callable `standardize`/`split` and
/// `ragged`/`sparse` outputs are not implemented (they throw).
public final class TextVectorization: Layer, ConfigInitializable {
  /// The largest vocabulary size, the mask and OOV indices included (nil: no limit).
  @Config public var maxTokens: Int? = nil
  /// `lower_and_strip_punctuation`, `lower`, `strip_punctuation`, or null (none).
  @Config public var standardize: String? = "lower_and_strip_punctuation"
  /// `whitespace`, `character`, or null (each string is one token).
  @Config public var split: String? = "whitespace"
  /// The n-gram widths: null (tokens alone), a number `n` (1 to `n`), or a list.
  @Config public var ngrams = ConfigValue.null
  /// `int`, `multi_hot`, `count` or `tf_idf`.
  @Config public var outputMode = "int"
  /// The length of `int` outputs (cut or padded with 0), or nil for the batch's longest.
  @Config public var outputSequenceLength: Int? = nil
  /// Whether encoded outputs have `maxTokens` columns whatever the vocabulary size.
  @Config public var padToMaxTokens = false
  /// Keras's sparse outputs; only `false`.
  @Config public var sparse = false
  /// Keras's ragged outputs; only `false`.
  @Config public var ragged = false
  /// The vocabulary given at creation (nil when learned by `adapt`).
  @Config public var vocabulary: [String]? = nil
  /// The inverse document frequencies given with the vocabulary (`tf_idf`).
  @Config public var idfWeights: [Float]? = nil
  /// The text encoding; only `utf-8`.
  @Config public var encoding = "utf-8"
  /// The vocabulary size once known, the mask and OOV indices included.
  @Config public var vocabularySize: Int? = nil

  private var state: IndexLookup<String>?

  /// Creates the layer, with a vocabulary or to ``adapt(_:)``; `ngrams` is the largest
  /// n-gram width (nil: tokens alone).
  public convenience init(
    maxTokens: Int? = nil, standardize: String? = "lower_and_strip_punctuation",
    split: String? = "whitespace", ngrams: Int? = nil, outputMode: String = "int",
    outputSequenceLength: Int? = nil, padToMaxTokens: Bool = false,
    vocabulary: [String]? = nil, idfWeights: [Float]? = nil, name: String? = nil
  ) {
    self.init(name: name)
    self.maxTokens = maxTokens
    self.standardize = standardize
    self.split = split
    self.ngrams = ngrams.map { .int($0) } ?? .null
    self.outputMode = outputMode
    self.outputSequenceLength = outputSequenceLength
    self.padToMaxTokens = padToMaxTokens
    self.vocabulary = vocabulary
    self.idfWeights = idfWeights
  }

  private func error(_ message: String, _ kind: SwiftKerasError.Kind = .invalidArgument)
    -> SwiftKerasError
  {
    SwiftKerasError(kind, "layer '\(name)' (TextVectorization): \(message)")
  }

  /// The lookup, made from the config on first use.
  private func lookup() throws -> IndexLookup<String> {
    if let state { return state }
    guard ["int", "multi_hot", "count", "tf_idf"].contains(outputMode) else {
      throw error("output_mode must be int, multi_hot, count or tf_idf, got '\(outputMode)'")
    }
    guard
      [nil, "lower_and_strip_punctuation", "lower", "strip_punctuation"].contains(standardize)
    else {
      throw error(
        "standardize must be lower_and_strip_punctuation, lower, strip_punctuation or null, got '\(standardize ?? "")'"
      )
    }
    guard [nil, "whitespace", "character"].contains(split) else {
      throw error("split must be whitespace, character or null, got '\(split ?? "")'")
    }
    guard !sparse, !ragged, encoding.lowercased() == "utf-8" else {
      throw error("sparse and ragged outputs and encodings other than utf-8 are not implemented")
    }
    if let outputSequenceLength, outputSequenceLength < 1 || outputMode != "int" {
      throw error(
        "output_sequence_length (\(outputSequenceLength)) needs output_mode 'int' and a positive value"
      )
    }
    _ = try ngramWidths()
    var made = IndexLookup<String>(
      kind: "TextVectorization", layer: name, maxTokens: maxTokens, numOovIndices: 1,
      maskToken: "", oovToken: "[UNK]", outputMode: outputMode, padToMaxTokens: padToMaxTokens,
      invert: false)
    try made.validate()
    if let vocabulary {
      try made.setVocabulary(vocabulary, idfWeights: idfWeights)
      vocabularySize = made.vocabularySize
    }
    state = made
    return made
  }

  /// The n-gram widths `ngrams` asks for (empty: tokens alone).
  private func ngramWidths() throws -> [Int] {
    if ngrams == .null { return [] }
    if let width = ngrams.intValue {
      guard width >= 1 else { throw error("ngrams must be at least 1, got \(width)") }
      return Array(1...width)
    }
    guard let widths = ngrams.arrayValue?.compactMap(\.intValue),
      widths.count == ngrams.arrayValue?.count, widths.allSatisfy({ $0 >= 1 })
    else { throw error("ngrams must be null, a positive integer or a list of them, got \(ngrams)") }
    return widths
  }

  /// The tokens of one text: standardized, split and expanded into n-grams, as the
  /// layer looks them up.
  ///
  /// - Throws: ``SwiftKerasError`` for an invalid `ngrams`.
  public func tokens(of text: String) throws -> [String] {
    var bytes = Array(text.utf8)
    if standardize == "lower" || standardize == "lower_and_strip_punctuation" {
      // TensorFlow's tf.strings.lower: ASCII letters only.
      bytes = bytes.map { (65...90).contains($0) ? $0 + 32 : $0 }
    }
    if standardize == "strip_punctuation" || standardize == "lower_and_strip_punctuation" {
      let punctuation = Set(Array("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".utf8))
      bytes.removeAll { punctuation.contains($0) }
    }
    let cleaned = String(decoding: bytes, as: UTF8.self)
    var pieces: [String]
    switch split {
    case "whitespace":
      // ASCII whitespace, runs counting as one, as tf.strings.split.
      let spaces: Set<UInt8> = [9, 10, 11, 12, 13, 32]
      pieces = Array(cleaned.utf8).split(whereSeparator: { spaces.contains($0) }).map {
        String(decoding: $0, as: UTF8.self)
      }
    case "character": pieces = cleaned.unicodeScalars.map { String($0) }
    default: pieces = [cleaned]
    }
    let widths = try ngramWidths()
    guard !widths.isEmpty else { return pieces }
    var grams: [String] = []
    for width in widths where width <= pieces.count {
      for start in 0...(pieces.count - width) {
        grams.append(pieces[start..<(start + width)].joined(separator: " "))
      }
    }
    return grams
  }

  /// The texts of `input`: shape `[batch]` or `[batch, 1]` (or one text, rank 0).
  private func texts(_ input: StringTensor) throws -> [String] {
    guard input.rank <= 1 || (input.rank == 2 && input.shape[1] == 1) || split == nil else {
      throw error(
        "takes texts of shape [batch] or [batch, 1] when splitting, got \(input.shape)",
        .shapeMismatch)
    }
    return input.values
  }

  /// The vocabulary, mask and OOV tokens first unless `includeSpecialTokens` is false.
  public func getVocabulary(includeSpecialTokens: Bool = true) throws -> [String] {
    try lookup().vocabulary(includingSpecialTokens: includeSpecialTokens).map { $0 ?? "" }
  }

  /// Learns the vocabulary from `data`, each string a document, as Keras's `adapt`.
  ///
  /// - Throws: ``SwiftKerasError`` when a vocabulary was given, or for invalid settings.
  public func adapt(_ data: StringTensor) throws { try adapt(batches: [data]) }

  /// Learns the vocabulary from batches of texts (each string a document).
  public func adapt<Batches: Sequence<StringTensor>>(batches: Batches) throws {
    var current = try lookup()
    guard vocabulary == nil else {
      throw error("cannot adapt after a vocabulary was given", .invalidState)
    }
    current.resetCounts()
    for batch in batches {
      for text in try texts(batch) {
        let tokens = try tokens(of: text)
        current.count(tokens, rows: 1)
      }
    }
    current.finishAdapt()
    state = current
    vocabularySize = current.vocabularySize
  }

  /// The indices, or encoded rows, of a batch of texts.
  public func callAsFunction(_ input: StringTensor) throws -> Tensor {
    let current = try lookup()
    let rows = try texts(input).map { text in
      try current.indices(of: try tokens(of: text)) { _ in 0 }
    }
    if outputMode == "int" {
      let length = outputSequenceLength ?? rows.map(\.count).max() ?? 0
      var out = [Float](repeating: 0, count: rows.count * length)
      for (row, indices) in rows.enumerated() {
        for (position, index) in indices.prefix(length).enumerated() {
          out[row * length + position] = index
        }
      }
      return Tensor(shape: [rows.count, length], scalars: out)
    }
    // Rows of different lengths: encode each, then stack.
    var stacked: [Float] = []
    var depth = 0
    for indices in rows {
      let encoded = try current.encode(Tensor(shape: [1, indices.count], scalars: indices))
      depth = encoded.shape.last ?? 0
      stacked += encoded.scalars
    }
    if rows.isEmpty { depth = padToMaxTokens ? (maxTokens ?? 0) : current.vocabularySize }
    return Tensor(shape: [rows.count, depth], scalars: stacked)
  }

  public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
    throw error("takes text: call it on a StringTensor before the model (a Tensor holds numbers)")
  }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    let batch = inputShapes[0].first ?? nil
    if outputMode == "int" { return [batch, outputSequenceLength] }
    let current = try lookup()
    let size =
      current.tokens == nil ? (vocabularySize ?? current.vocabularySize) : current.vocabularySize
    return [batch, padToMaxTokens ? (maxTokens ?? size) : size]
  }

  public override func saveAssets() throws -> [String: [UInt8]] {
    guard vocabulary == nil, let current = state, current.tokens != nil else { return [:] }
    if outputMode == "tf_idf" {
      throw error("saving an adapted tf_idf TextVectorization is not implemented")
    }
    return ["vocabulary.txt": current.vocabularyFile()]
  }

  public override func loadAssets(_ file: (String) -> [UInt8]?) throws {
    guard vocabulary == nil, let bytes = file("vocabulary.txt") else { return }
    var current = try lookup()
    try current.loadVocabularyFile(bytes)
    state = current
    vocabularySize = current.vocabularySize
  }
}
