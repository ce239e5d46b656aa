import SwiftKerasCore

/// Multi-head attention, as `keras.layers.MultiHeadAttention`: query, key and value are
/// projected into `numHeads` heads by ``EinsumDense`` layers (kernels `[dim, heads,
/// keyDim]` and `[dim, heads, valueDim]`), each head attends with scaled dot products,
/// and the heads are projected back by a kernel `[heads, valueDim, outputDim]`.
///
/// Called with `[query, value]` or `[query, value, key]`; the masks of query and value
/// (from `Embedding(maskZero: true)` or `Masking`) restrict the attention as Keras does,
/// and the output carries the query's mask. Call options: `attentionMask` (`[batch, T,
/// S]`, 1 where allowed), `useCausalMask`, and `returnAttentionScores` (a second output
/// `[batch, heads, T, S]`). The products of every head run as one batched matrix
/// multiplication each.
///
/// ```swift
/// let tokens = Input(shape: [16, 64])
/// let mha = MultiHeadAttention(numHeads: 4, keyDim: 16)
/// let attended = try mha(query: tokens, value: tokens, useCausalMask: true)  // [nil, 16, 64]
/// ```
public final class MultiHeadAttention: ProjectedAttentionLayer, ConfigInitializable {
  /// The number of attention heads.
  @Config(required: true) public var numHeads = 0
  /// The size of each head's query and key projections.
  @Config(required: true) public var keyDim = 0
  /// The size of each head's value projection; nil means `keyDim`.
  @Config public var valueDim: Int? = nil
  /// The output's trailing shape; nil means the query's last axis.
  @Config public var outputShape: [Int]? = nil
  /// The axes attended over (of the input, without the last); nil means every axis
  /// between the batch and the features.
  @Config public var attentionAxes: [Int]? = nil

  /// The attended axes of the projected tensors, fixed at build.
  private var resolvedAxes: [Int] = []

  /// Creates the layer with Keras's defaults.
  public convenience init(
    numHeads: Int, keyDim: Int, valueDim: Int? = nil, dropout: Float = 0, useBias: Bool = true,
    outputShape: [Int]? = nil, attentionAxes: [Int]? = nil,
    kernelInitializer: any Initializer = GlorotUniform(),
    biasInitializer: any Initializer = Zeros(), kernelRegularizer: (any Regularizer)? = nil,
    biasRegularizer: (any Regularizer)? = nil, activityRegularizer: (any Regularizer)? = nil,
    kernelConstraint: (any Constraint)? = nil, biasConstraint: (any Constraint)? = nil,
    seed: UInt64? = nil, name: String? = nil
  ) {
    self.init(name: name)
    self.numHeads = numHeads
    self.keyDim = keyDim
    self.valueDim = valueDim
    self.outputShape = outputShape
    self.attentionAxes = attentionAxes
    setSharedOptions(
      dropout: dropout, useBias: useBias,
      kernel: (kernelInitializer, kernelRegularizer, kernelConstraint),
      bias: (biasInitializer, biasRegularizer, biasConstraint),
      activityRegularizer: activityRegularizer,
      seed: seed)
  }

  /// The value projection's size per head.
  public var resolvedValueDim: Int { valueDim ?? keyDim }

  // MARK: - Building

  public override func build(inputShapes: [Shape]) throws {
    guard numHeads > 0, keyDim > 0, (valueDim ?? 1) > 0 else {
      throw SwiftKerasError(
        .invalidArgument,
        "\(what): numHeads, keyDim and valueDim must be positive, got \(numHeads), \(keyDim), \(valueDim.map(String.init) ?? "nil")"
      )
    }
    guard !useGate, slidingWindow == nil else {
      throw SwiftKerasError(
        .invalidArgument, "\(what): useGate and slidingWindow are not supported")
    }
    try checkRate(dropout)
    try checkInputCount(inputShapes.count)
    let query = inputShapes[0]
    let value = inputShapes[1]
    let key = inputShapes.count == 3 ? inputShapes[2] : value
    guard query.count >= 3, value.count == query.count, key.count == query.count,
      query.last != nil, value.last != nil, key.last != nil,
      Array(value.dropFirst().dropLast()) == Array(key.dropFirst().dropLast())
    else {
      throw SwiftKerasError(
        .shapeMismatch,
        "\(what): expected query, value and key of one rank ≥ 3 with known features and value and key equal but for the last axis, got query \(formatShape(query)), value \(formatShape(value)), key \(formatShape(key))"
      )
    }
    let rank = query.count
    let common = { [self] (equation: String, shape: [Int?], bias: String, name: String) in
      self.projection(
        equation, outputShape: shape, biasAxes: bias, useBias: useBias, kernel: kernelOptions,
        bias: biasOptions, name: name)
    }
    let (projection, projectionBias) = Self.projectionEquation(
      freeDims: rank - 1, boundDims: 1, outputDims: 2)
    let free = [Int?](repeating: nil, count: rank - 2)
    let queryDense = common(projection, free + [numHeads, keyDim], projectionBias, "query")
    try queryDense.ensureBuilt(inputShapes: [query])
    let keyDense = common(projection, free + [numHeads, keyDim], projectionBias, "key")
    try keyDense.ensureBuilt(inputShapes: [key])
    let valueDense = common(
      projection, free + [numHeads, resolvedValueDim], projectionBias, "value")
    try valueDense.ensureBuilt(inputShapes: [value])
    let projectedRank = rank + 1
    if let attentionAxes {
      resolvedAxes = attentionAxes.map { $0 >= 0 ? $0 : projectedRank - 1 + $0 }
    } else {
      resolvedAxes = Array(1..<(projectedRank - 2))
    }
    guard !resolvedAxes.isEmpty, Set(resolvedAxes).count == resolvedAxes.count,
      resolvedAxes.allSatisfy({ $0 >= 1 && $0 < projectedRank - 2 })
    else {
      throw SwiftKerasError(
        .invalidArgument,
        "\(what): attentionAxes \(attentionAxes ?? []) must name distinct axes between 1 and \(rank - 2) for inputs of rank \(rank)"
      )
    }
    resolvedAxes.sort()
    let outputTail: [Int?] = outputShape.map { $0.map { Optional($0) } } ?? [query.last ?? nil]
    let (outputEquation, outputBias) = Self.projectionEquation(
      freeDims: rank - 1, boundDims: 2, outputDims: outputTail.count)
    let outputDense = common(
      outputEquation, free + outputTail, outputBias, "attention_output")
    try outputDense.ensureBuilt(
      inputShapes: [Array(query.dropLast()) + [numHeads, resolvedValueDim]])
    setProjections(query: queryDense, key: keyDense, value: valueDense, output: outputDense)
  }

  /// Keras's `_build_proj_equation`: `free` carried letters, `bound` summed ones and
  /// `output` new ones (which also get the bias).
  static func projectionEquation(freeDims: Int, boundDims: Int, outputDims: Int) -> (
    String, String
  ) {
    let letters = Array("abcdefghijklmnopqrstuvwxyz")
    let free = String(letters[0..<freeDims])
    let bound = String(letters[freeDims..<(freeDims + boundDims)])
    let output = String(letters[(freeDims + boundDims)..<(freeDims + boundDims + outputDims)])
    return ("\(free)\(bound),\(bound)\(output)->\(free)\(output)", output)
  }

  public override func getConfig() -> [String: ConfigValue] {
    var config = super.getConfig()
    config["value_dim"] = .int(resolvedValueDim)
    if built {
      // Keras writes the attended axes it resolved at build.
      config["attention_axes"] = .array(resolvedAxes.map { .int($0) })
    }
    return config
  }

  // MARK: - Calling

  /// A symbolic call: the output (`[nil, T, outputDim]`) of `query` attending to `value`.
  public func callAsFunction(
    query: KerasTensor, value: KerasTensor, key: KerasTensor? = nil,
    attentionMask: KerasTensor? = nil, useCausalMask: Bool = false
  ) throws -> KerasTensor {
    try symbolicCall(
      query: query, value: value, key: key, attentionMask: attentionMask,
      useCausalMask: useCausalMask, returnScores: false)[0]
  }

  /// A symbolic call returning the output and the attention scores, two tensors of the
  /// graph (the scores' shape is Keras's symbolic `[nil, heads, T, T]`).
  public func callWithScores(
    query: KerasTensor, value: KerasTensor, key: KerasTensor? = nil,
    attentionMask: KerasTensor? = nil, useCausalMask: Bool = false
  ) throws -> (output: KerasTensor, scores: KerasTensor) {
    let outputs = try symbolicCall(
      query: query, value: value, key: key, attentionMask: attentionMask,
      useCausalMask: useCausalMask, returnScores: true)
    return (outputs[0], outputs[1])
  }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    let query = inputShapes[0]
    guard let outputShape else { return query }
    return Array(query.dropLast()) + outputShape.map { Optional($0) }
  }

  public override func symbolicOutputShapes(inputShapes: [Shape], arguments: CallArguments)
    throws -> [Shape]
  {
    let roles = try AttentionRoles(inputShapes, arguments: arguments, layer: what)
    let output = try computeOutputShape(inputShapes: [roles.query])
    guard try arguments.bool("return_attention_scores") else { return [output] }
    // Keras's symbolic scores: [batch, heads, T, T] (its compute_output_spec uses the
    // query's length twice).
    let length = roles.query.count > 1 ? roles.query[1] : nil
    return [output, [roles.query.first ?? nil, numHeads, length, length]]
  }

  /// Projects, attends and projects back, as Keras's `call`.
  override func attend(
    query: Tensor, value: Tensor, key: Tensor?, attentionMask: Tensor?, queryMask: Tensor?,
    valueMask: Tensor?, keyMask: Tensor?, useCausalMask: Bool, returnScores: Bool,
    training: Bool
  ) throws -> (output: Tensor, scores: Tensor) {
    let (key, keyMask, projections) = try prepareAttend(
      query: query, value: value, key: key, keyMask: keyMask)
    guard query.rank >= 3, value.rank == query.rank, key.rank == query.rank,
      query.shape[0] == value.shape[0], key.shape[0] == value.shape[0],
      Array(value.shape.dropFirst().dropLast()) == Array(key.shape.dropFirst().dropLast())
    else {
      throw SwiftKerasError(
        .shapeMismatch,
        "\(what): query \(query.shape), value \(value.shape) and key \(key.shape) do not fit (one batch, value and key equal but for the last axis)"
      )
    }
    let mask = try AttentionMath.attentionMask(
      queryMask: queryMask, valueMask: valueMask, keyMask: keyMask,
      attentionMask: attentionMask,
      causal: useCausalMask ? (query.shape[1], value.shape[1]) : nil, layer: what)
    let projectedQuery = try projections.query(query)
    let projectedKey = try projections.key(key)
    let projectedValue = try projections.value(value)
    // Keras's TensorFlow backend uses its fused dot_product_attention (masked rows
    // uniform) when no dropout or scores are asked for and the heads have rank 4, else
    // its Softmax layer (masked positions zero).
    let zeroMasked = dropout > 0 || returnScores || projectedQuery.rank != 4
    let heads = HeadAttention(attentionAxes: resolvedAxes, layer: what)
    let (attended, scores) = try heads(
      query: projectedQuery, key: projectedKey, value: projectedValue,
      scale: 1 / Float(keyDim).squareRoot(), mask: mask, zeroMasked: zeroMasked,
      dropout: probabilityDropout(rate: dropout, training: training))
    let output = try projections.output(attended)
    return (output, scores)
  }
}

/// The roles of an attention call's inputs: positional `[query, value, key?]`, then the
/// keyword ones by name (`query`, `value`, `key`, `attention_mask`).
struct AttentionRoles<T> {
  let query: T
  let value: T
  let key: T?
  let attentionMask: T?

  init(_ inputs: [T], arguments: CallArguments, layer: String) throws {
    let (positional, keyword) = try arguments.split(inputs)
    var ordered = positional
    for name in ["query", "value"] where ordered.count < 2 {
      if let given = keyword[name] { ordered.append(given) }
    }
    guard ordered.count >= 2, ordered.count <= 3 else {
      throw SwiftKerasError(
        .invalidArgument,
        "\(layer) expects [query, value] or [query, value, key], got \(positional.count) positional input(s) and keywords \(arguments.tensorKeywords)"
      )
    }
    query = ordered[0]
    value = ordered[1]
    key = ordered.count == 3 ? ordered[2] : keyword["key"]
    attentionMask = keyword["attention_mask"]
  }
}
