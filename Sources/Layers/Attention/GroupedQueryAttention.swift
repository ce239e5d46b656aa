import SwiftKerasCore

/// Grouped-query attention, as `keras.layers.GroupQueryAttention` (class name
/// `GroupedQueryAttention`): `numQueryHeads` query heads share `numKeyValueHeads` key and
/// value heads (each key/value head serves `numQueryHeads / numKeyValueHeads` query
/// heads), all of size `headDim`; the output has the query's feature size. With as many
/// key/value heads as query heads it is multi-head attention; with one, multi-query
/// attention.
///
/// Called with `[query, value]` or `[query, value, key]` (`[batch, T, dim]`, `[batch, S,
/// dim]`); masks and the call options `attentionMask`, `useCausalMask` and
/// `returnAttentionScores` (`[batch, numQueryHeads, T, S]`) behave as in
/// ``MultiHeadAttention``.
///
/// ```swift
/// let gqa = GroupedQueryAttention(headDim: 16, numQueryHeads: 8, numKeyValueHeads: 2)
/// let y = try gqa(query: x, value: x, useCausalMask: true)
/// ```
public final class GroupedQueryAttention: ProjectedAttentionLayer, ConfigInitializable {
  /// The size of each head.
  @Config(required: true) public var headDim = 0
  /// The number of query heads.
  @Config(required: true) public var numQueryHeads = 0
  /// The number of key and value heads (dividing `numQueryHeads`).
  @Config(required: true) public var numKeyValueHeads = 0

  /// Keras's configs name the class by its export name.
  public override class var serializedClassName: String { "GroupQueryAttention" }

  /// Keras's GroupedQueryAttention keeps its projections as `_query_dense` and so on
  /// (query `[…, dim] -> […, numQueryHeads, headDim]`, key and value `[…, dim] -> […,
  /// numKeyValueHeads, headDim]`, output `[…, numQueryHeads, headDim] -> […, dim]`).
  override class var projectionPathPrefix: String { "_" }

  /// Creates the layer with Keras's defaults.
  public convenience init(
    headDim: Int, numQueryHeads: Int, numKeyValueHeads: Int, dropout: Float = 0,
    useBias: Bool = true, kernelInitializer: any Initializer = GlorotUniform(),
    biasInitializer: any Initializer = Zeros(), kernelRegularizer: (any Regularizer)? = nil,
    biasRegularizer: (any Regularizer)? = nil, activityRegularizer: (any Regularizer)? = nil,
    kernelConstraint: (any Constraint)? = nil, biasConstraint: (any Constraint)? = nil,
    seed: UInt64? = nil, name: String? = nil
  ) {
    self.init(name: name)
    self.headDim = headDim
    self.numQueryHeads = numQueryHeads
    self.numKeyValueHeads = numKeyValueHeads
    setSharedOptions(
      dropout: dropout, useBias: useBias,
      kernel: (kernelInitializer, kernelRegularizer, kernelConstraint),
      bias: (biasInitializer, biasRegularizer, biasConstraint),
      activityRegularizer: activityRegularizer,
      seed: seed)
  }

  public override func build(inputShapes: [Shape]) throws {
    guard headDim > 0, numQueryHeads > 0, numKeyValueHeads > 0,
      numQueryHeads % numKeyValueHeads == 0
    else {
      throw SwiftKerasError(
        .invalidArgument,
        "\(what): headDim, numQueryHeads and numKeyValueHeads must be positive with numQueryHeads divisible by numKeyValueHeads, got \(headDim), \(numQueryHeads), \(numKeyValueHeads)"
      )
    }
    guard !useGate, slidingWindow == nil else {
      throw SwiftKerasError(
        .invalidArgument, "\(what): useGate and slidingWindow are not supported")
    }
    try checkRate(dropout)
    try checkInputCount(inputShapes.count)
    let (query, value) = (inputShapes[0], inputShapes[1])
    let key = inputShapes.count == 3 ? inputShapes[2] : value
    guard query.count == 3, value.count == 3, key.count == 3, let features = query[2],
      value[2] == features, key[2] != nil, value[1] == key[1] || value[1] == nil || key[1] == nil
    else {
      throw SwiftKerasError(
        .shapeMismatch,
        "\(what): expected query [batch, T, dim], value [batch, S, dim] and key [batch, S, k], got query \(formatShape(query)), value \(formatShape(value)), key \(formatShape(key))"
      )
    }
    let common = { [self] (equation: String, shape: [Int?], bias: String, name: String) in
      self.projection(
        equation, outputShape: shape, biasAxes: bias, useBias: useBias, kernel: kernelOptions,
        bias: biasOptions, name: name)
    }
    let queryDense = common("bqm,muh->bquh", [nil, numQueryHeads, headDim], "uh", "query")
    try queryDense.ensureBuilt(inputShapes: [query])
    let keyDense = common("bkm,mvh->bkvh", [nil, numKeyValueHeads, headDim], "vh", "key")
    try keyDense.ensureBuilt(inputShapes: [key])
    let valueDense = common("bkm,mvh->bkvh", [nil, numKeyValueHeads, headDim], "vh", "value")
    try valueDense.ensureBuilt(inputShapes: [value])
    let outputDense = common("bquh,uhm->bqm", [nil, features], "m", "attention_output")
    try outputDense.ensureBuilt(inputShapes: [[nil, nil, numQueryHeads, headDim]])
    setProjections(query: queryDense, key: keyDense, value: valueDense, output: outputDense)
  }

  /// A symbolic call: the output of `query` attending to `value` (and `key`).
  public func callAsFunction(
    query: KerasTensor, value: KerasTensor, key: KerasTensor? = nil,
    attentionMask: KerasTensor? = nil, useCausalMask: Bool = false,
    returnAttentionScores: Bool = false
  ) throws -> [KerasTensor] {
    try symbolicCall(
      query: query, value: value, key: key, attentionMask: attentionMask,
      useCausalMask: useCausalMask, returnScores: returnAttentionScores)
  }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    inputShapes[0]
  }

  public override func symbolicOutputShapes(inputShapes: [Shape], arguments: CallArguments)
    throws -> [Shape]
  {
    let roles = try AttentionRoles(inputShapes, arguments: arguments, layer: what)
    guard try arguments.bool("return_attention_scores") else { return [roles.query] }
    let source = roles.key ?? roles.value
    return [
      roles.query,
      [
        roles.query.first ?? nil, numQueryHeads, roles.query.count > 1 ? roles.query[1] : nil,
        source.count > 1 ? source[1] : nil,
      ],
    ]
  }

  /// Each key/value head repeated for the query heads it serves: `[B, S, kv, h]` to
  /// `[B, S, kv · repeats, h]` (Keras's `ops.repeat(…, axis=2)`).
  private func repeatedHeads(_ x: Tensor) -> Tensor {
    let repeats = numQueryHeads / numKeyValueHeads
    guard repeats > 1 else { return x }
    let (b, s, kv, h) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    return x.reshaped(to: [b, s, kv, 1, h]).broadcast(toShape: [b, s, kv, repeats, h])
      .reshaped(to: [b, s, kv * repeats, h])
  }

  override func attend(
    query: Tensor, value: Tensor, key: Tensor?, attentionMask: Tensor?, queryMask: Tensor?,
    valueMask: Tensor?, keyMask: Tensor?, useCausalMask: Bool, returnScores: Bool,
    training: Bool
  ) throws -> (output: Tensor, scores: Tensor) {
    let (key, keyMask, projections) = try prepareAttend(
      query: query, value: value, key: key, keyMask: keyMask)
    guard query.rank == 3, value.rank == 3, key.rank == 3, query.shape[0] == value.shape[0],
      key.shape[0] == value.shape[0], key.shape[1] == value.shape[1]
    else {
      throw SwiftKerasError(
        .shapeMismatch,
        "\(what): query \(query.shape), value \(value.shape) and key \(key.shape) do not fit (one batch, value and key of one length)"
      )
    }
    let mask = try AttentionMath.attentionMask(
      queryMask: queryMask, valueMask: valueMask, keyMask: keyMask,
      attentionMask: attentionMask,
      causal: useCausalMask ? (query.shape[1], value.shape[1]) : nil, layer: what)
    let projectedQuery = try projections.query(query)
    let projectedKey = repeatedHeads(try projections.key(key))
    let projectedValue = repeatedHeads(try projections.value(value))
    let zeroMasked = dropout > 0 || returnScores
    let (attended, scores) = try HeadAttention(attentionAxes: [1], layer: what)(
      query: projectedQuery, key: projectedKey, value: projectedValue,
      scale: 1 / Float(headDim).squareRoot(), mask: mask, zeroMasked: zeroMasked,
      dropout: probabilityDropout(rate: dropout, training: training))
    return (try projections.output(attended), scores)
  }
}
