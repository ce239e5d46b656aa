import SwiftKerasCore

/// Maps strings to integer indices through a vocabulary, as `keras.layers.StringLookup`;
/// with `invert`, indices back to strings.
///
/// Indices start with the reserved ones: the mask token at 0 (when `maskToken` is set and
/// `outputMode` is `int`), then `numOovIndices` out-of-vocabulary indices, then the
/// vocabulary. The vocabulary is given, or learned by ``adapt(_:)`` (most frequent first,
/// ties in reverse byte order, cut to `maxTokens`, as Keras). Outputs are indices
/// (`int`) or `one_hot`, `multi_hot`, `count` or `tf_idf` rows of the vocabulary size.
///
/// Strings are not a ``Tensor``: the layer runs on a ``StringTensor`` before the model
/// (as a `tf.data` map does in Keras) and hands the model a tensor of indices.
///
/// ```swift
/// let lookup = StringLookup(vocabulary: ["a", "b", "c"])
/// try lookup(["a", "c", "z"] as StringTensor)            // [1, 3, 0]: "z" is OOV
/// let names = StringLookup(vocabulary: ["a", "b", "c"], invert: true)
/// try names.tokens(for: Tensor([1, 3, 0]))               // ["a", "c", "[UNK]"]
/// ```
///
/// A given vocabulary is part of the config; a learned one is saved in `.keras` archives
/// as Keras saves it, as `assets/<layer path>/vocabulary.txt`; saving an adapted
/// `tf_idf` lookup throws (Keras keeps its weights under a named dataset). Several OOV
/// indices spread unknown strings by FarmHash, as Keras.
public final class StringLookup: Layer, ConfigInitializable {
  /// The largest vocabulary size, reserved indices included (nil: no limit).
  @Config public var maxTokens: Int? = nil
  /// The number of out-of-vocabulary indices.
  @Config public var numOovIndices = 1
  /// The token that means padding (index 0 in `int` mode), or nil.
  @Config public var maskToken: String? = nil
  /// The token an inverted lookup returns for out-of-vocabulary indices.
  @Config public var oovToken = "[UNK]"
  /// `int`, `one_hot`, `multi_hot`, `count` or `tf_idf`.
  @Config public var outputMode = "int"
  /// Keras's sparse outputs; only `false`.
  @Config public var sparse = false
  /// Whether encoded outputs have `maxTokens` columns whatever the vocabulary size.
  @Config public var padToMaxTokens = false
  /// The inverse document frequencies given with the vocabulary (`tf_idf`).
  @Config public var idfWeights: [Float]? = nil
  /// The vocabulary given at creation (nil when learned by `adapt`).
  @Config public var vocabulary: [String]? = nil
  /// The vocabulary size once known, reserved indices included.
  @Config public var vocabularySize: Int? = nil
  /// Keras's `oov_method`; only `floormod` (strings always hash).
  @Config public var oovMethod = "floormod"
  /// Keras's hashing salt; only null.
  @Config public var salt = ConfigValue.null
  /// The text encoding; only `utf-8`.
  @Config public var encoding = "utf-8"
  /// Whether the layer maps indices back to strings.
  @Config public var invert = false

  private var state: IndexLookup<String>?

  /// Creates the layer, with a vocabulary or to ``adapt(_:)``.
  public convenience init(
    maxTokens: Int? = nil, numOovIndices: Int = 1, maskToken: String? = nil,
    oovToken: String = "[UNK]", vocabulary: [String]? = nil, idfWeights: [Float]? = nil,
    invert: Bool = false, outputMode: String = "int", padToMaxTokens: Bool = false,
    name: String? = nil
  ) {
    self.init(name: name)
    self.maxTokens = maxTokens
    self.numOovIndices = numOovIndices
    self.maskToken = maskToken
    self.oovToken = oovToken
    self.vocabulary = vocabulary
    self.idfWeights = idfWeights
    self.invert = invert
    self.outputMode = outputMode
    self.padToMaxTokens = padToMaxTokens
  }

  /// The lookup state, made from the config on first use.
  private func lookup() throws -> IndexLookup<String> {
    if let state { return state }
    if outputMode == "binary" { outputMode = "multi_hot" }
    if outputMode == "tf-idf" { outputMode = "tf_idf" }
    var made = IndexLookup<String>(
      kind: "StringLookup", layer: name, maxTokens: maxTokens, numOovIndices: numOovIndices,
      maskToken: maskToken, oovToken: oovToken, outputMode: outputMode,
      padToMaxTokens: padToMaxTokens, invert: invert)
    try made.validate()
    guard !sparse, salt == .null, encoding.lowercased() == "utf-8" else {
      throw made.error("sparse outputs, salt and encodings other than utf-8 are not implemented")
    }
    if let vocabulary {
      try made.setVocabulary(vocabulary, idfWeights: idfWeights)
      vocabularySize = made.vocabularySize
    }
    state = made
    return made
  }

  /// The vocabulary, reserved tokens first unless `includeSpecialTokens` is false, as
  /// Keras's `get_vocabulary()`.
  public func getVocabulary(includeSpecialTokens: Bool = true) throws -> [String] {
    try lookup().vocabulary(includingSpecialTokens: includeSpecialTokens).map { $0 ?? "" }
  }

  /// Replaces the vocabulary (and `tf_idf` weights), as Keras's `set_vocabulary`; the
  /// reserved tokens may lead it, in order.
  public func setVocabulary(_ tokens: [String], idfWeights weights: [Float]? = nil) throws {
    var current = try lookup()
    try current.setVocabulary(tokens, idfWeights: weights)
    state = current
    vocabulary = tokens
    idfWeights = weights
    vocabularySize = current.vocabularySize
  }

  /// Learns the vocabulary from `data`, as Keras's `adapt` on an array: a rank-1 array is
  /// one token per document.
  ///
  /// - Throws: ``SwiftKerasError`` when a vocabulary was given, or for invalid settings.
  public func adapt(_ data: StringTensor) throws {
    let rows = data.rank <= 1 ? data.values.count : data.shape[0]
    try adapt(documents: [(data.values, rows)])
  }

  /// Learns the vocabulary from batches, as Keras's `adapt` on a dataset: each batch's
  /// first axis is its documents (a rank-1 batch is one document).
  public func adapt<Batches: Sequence<StringTensor>>(batches: Batches) throws {
    try adapt(documents: batches.map { ($0.values, $0.rank <= 1 ? 1 : $0.shape[0]) })
  }

  private func adapt(documents: [([String], Int)]) throws {
    var current = try lookup()
    guard vocabulary == nil else {
      throw current.error(
        "cannot adapt after a vocabulary was given (vocabulary or setVocabulary)", .invalidState)
    }
    current.resetCounts()
    for (values, rows) in documents { current.count(values, rows: rows) }
    current.finishAdapt()
    state = current
    vocabularySize = current.vocabularySize
  }

  /// The indices (or encoded rows) of `input`'s strings.
  ///
  /// - Throws: ``SwiftKerasError`` for an inverted layer (use ``tokens(for:)``), an
  ///   out-of-vocabulary string when `numOovIndices` is 0, or a lookup that has no
  ///   vocabulary yet.
  public func callAsFunction(_ input: StringTensor) throws -> Tensor {
    let current = try lookup()
    guard !invert else {
      throw current.error("an inverted lookup maps indices to strings; call tokens(for:)")
    }
    // Several OOV indices: FarmHash's bucket of the string, as to_hash_bucket_fast.
    let buckets = numOovIndices
    let indices = try current.indices(of: input.values) { FarmHash.bucket($0, of: buckets) }
    return try current.encode(Tensor(shape: input.shape, scalars: indices))
  }

  /// The strings of `indices`, for an inverted layer (`invert: true`).
  public func tokens(for indices: Tensor) throws -> StringTensor {
    let current = try lookup()
    guard invert else {
      throw current.error("tokens(for:) needs invert: true; call the layer on strings instead")
    }
    return try StringTensor(
      shape: indices.shape, values: try current.tokens(of: indices.scalars).map { $0 ?? "" })
  }

  public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
    throw try lookup().error(
      "takes strings: call it on a StringTensor before the model (a Tensor holds only numbers)")
  }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    try lookup().outputShape(inputShapes[0], knownSize: vocabularySize)
  }

  public override func saveAssets() throws -> [String: [UInt8]] {
    guard vocabulary == nil, let current = state, current.tokens != nil else { return [:] }
    if outputMode == "tf_idf" {
      throw current.error("saving an adapted tf_idf lookup is not implemented")
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
