import SwiftKerasCore

/// Maps integer values to contiguous indices through a vocabulary, as
/// `keras.layers.IntegerLookup`; with `invert`, indices back to values.
///
/// Indices start with the reserved ones: the mask value at 0 (when `maskToken` is set
/// and `outputMode` is `int`), then `numOovIndices` out-of-vocabulary indices (an
/// unknown value `v` goes to `v mod numOovIndices`, floored, as Keras's `floormod`),
/// then the vocabulary, given or learned by ``adapt(_:)`` (most frequent first, ties by
/// decreasing value, cut to `maxTokens`, as Keras). Outputs are indices (`int`) or
/// `one_hot`, `multi_hot`, `count` or `tf_idf` rows of the vocabulary size.
///
/// Inputs are tensors of whole numbers (any other value throws), so the layer runs inside
/// a model as well as before it.
///
/// ```swift
/// let lookup = IntegerLookup(vocabulary: [12, 36, 1138, 42])
/// try lookup(Tensor([12, 1138, 7]))        // [1, 3, 0]: 7 is OOV
/// ```
///
/// A given vocabulary is part of the config; a learned one is saved in `.keras` archives
/// as Keras saves it, as `assets/<layer path>/vocabulary.txt`. Adapted `tf_idf` layers
/// cannot be saved yet (saving throws).
public final class IntegerLookup: Layer, ConfigInitializable {
  /// The largest vocabulary size, reserved indices included (nil: no limit).
  @Config public var maxTokens: Int? = nil
  /// The number of out-of-vocabulary indices.
  @Config public var numOovIndices = 1
  /// The value that means padding (index 0 in `int` mode), or nil.
  @Config public var maskToken: Int? = nil
  /// The value an inverted lookup returns for out-of-vocabulary indices.
  @Config public var oovToken = -1
  /// `int`, `one_hot`, `multi_hot`, `count` or `tf_idf`.
  @Config public var outputMode = "int"
  /// Keras's sparse outputs; only `false`.
  @Config public var sparse = false
  /// Whether encoded outputs have `maxTokens` columns whatever the vocabulary size.
  @Config public var padToMaxTokens = false
  /// Keras's vocabulary dtype; only `int64`.
  @Config public var vocabularyDtype = "int64"
  /// The inverse document frequencies given with the vocabulary (`tf_idf`).
  @Config public var idfWeights: [Float]? = nil
  /// The vocabulary given at creation (nil when learned by `adapt`).
  @Config public var vocabulary: [Int]? = nil
  /// The vocabulary size once known, reserved indices included.
  @Config public var vocabularySize: Int? = nil
  /// Keras's `oov_method`; only `floormod`.
  @Config public var oovMethod = "floormod"
  /// Keras's hashing salt; only null.
  @Config public var salt = ConfigValue.null
  /// Whether the layer maps indices back to values.
  @Config public var invert = false

  private var state: IndexLookup<Int64>?

  /// Creates the layer, with a vocabulary or to ``adapt(_:)``.
  public convenience init(
    maxTokens: Int? = nil, numOovIndices: Int = 1, maskToken: Int? = nil, oovToken: Int = -1,
    vocabulary: [Int]? = nil, idfWeights: [Float]? = nil, invert: Bool = false,
    outputMode: String = "int", padToMaxTokens: Bool = false, name: String? = nil
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
  private func lookup() throws -> IndexLookup<Int64> {
    if let state { return state }
    if outputMode == "binary" { outputMode = "multi_hot" }
    if outputMode == "tf-idf" { outputMode = "tf_idf" }
    var made = IndexLookup<Int64>(
      kind: "IntegerLookup", layer: name, maxTokens: maxTokens, numOovIndices: numOovIndices,
      maskToken: maskToken.map(Int64.init), oovToken: Int64(oovToken), outputMode: outputMode,
      padToMaxTokens: padToMaxTokens, invert: invert)
    try made.validate()
    guard !sparse, salt == .null, oovMethod == "floormod", vocabularyDtype == "int64" else {
      throw made.error(
        "sparse outputs, salt, oov_method 'farmhash' and dtypes other than int64 are not implemented"
      )
    }
    if let vocabulary {
      try made.setVocabulary(vocabulary.map(Int64.init), idfWeights: idfWeights)
      vocabularySize = made.vocabularySize
    }
    state = made
    return made
  }

  /// The values of `tensor` as integers, or an error naming the first that is not one.
  private func integers(_ tensor: Tensor) throws -> [Int64] {
    try tensor.scalars.map { value in
      guard value.isFinite, value.rounded() == value, abs(value) < 9.0e18 else {
        throw try lookup().error("takes whole numbers, found \(value)")
      }
      return Int64(value)
    }
  }

  /// The vocabulary, reserved tokens first unless `includeSpecialTokens` is false, as
  /// Keras's `get_vocabulary()` (a nil mask token reads as the OOV value).
  public func getVocabulary(includeSpecialTokens: Bool = true) throws -> [Int] {
    try lookup().vocabulary(includingSpecialTokens: includeSpecialTokens).map {
      Int($0 ?? Int64(oovToken))
    }
  }

  /// Replaces the vocabulary (and `tf_idf` weights), as Keras's `set_vocabulary`.
  public func setVocabulary(_ values: [Int], idfWeights weights: [Float]? = nil) throws {
    var current = try lookup()
    try current.setVocabulary(values.map(Int64.init), idfWeights: weights)
    state = current
    vocabulary = values
    idfWeights = weights
    vocabularySize = current.vocabularySize
  }

  /// Learns the vocabulary from `data`, as Keras's `adapt` on an array: a rank-1 array is
  /// one value per document.
  public func adapt(_ data: Tensor) throws {
    try adapt(documents: [(try integers(data), data.rank <= 1 ? data.count : data.shape[0])])
  }

  /// Learns the vocabulary from batches, as Keras's `adapt` on a dataset: each batch's
  /// first axis is its documents (a rank-1 batch is one document).
  public func adapt<Batches: Sequence<Tensor>>(batches: Batches) throws {
    try adapt(
      documents: batches.map { (try integers($0), $0.rank <= 1 ? 1 : $0.shape[0]) })
  }

  private func adapt(documents: [([Int64], Int)]) throws {
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

  public override func checkInputs(_ shapes: [[Int]]) throws {
    guard shapes.count == 1 else {
      throw try lookup().error("takes one input, got \(shapes.count)", .shapeMismatch)
    }
  }

  public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
    let current = try lookup()
    let values = try integers(input)
    if invert {
      let found = try current.tokens(of: input.scalars)
      return Tensor(shape: input.shape, scalars: found.map { Float($0 ?? Int64(oovToken)) })
    }
    let buckets = Int64(numOovIndices)
    let indices = try current.indices(of: values) { value in
      // Python's floormod: never negative.
      Int(((value % buckets) + buckets) % buckets)
    }
    return try current.encode(Tensor(shape: input.shape, scalars: indices))
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
