import SwiftKerasCore

/// What ``MultiHeadAttention`` and ``GroupedQueryAttention`` share: both take query, value
/// and an optional key as separate inputs with Keras's call options (`attention_mask`,
/// `use_causal_mask`, `return_attention_scores`), read every input's mask and pass on the
/// query's. Everything up to the attention itself (sorting inputs and masks into their
/// roles, checking shapes, the eager and symbolic calls) is the same for both, so it
/// lives here; a subclass implements
/// ``attend(query:value:key:attentionMask:queryMask:valueMask:keyMask:useCausalMask:returnScores:training:)``.
public class ProjectedAttentionLayer: BaseRandomLayer {
  /// The output carries the query's mask, as Keras.
  public override var supportsMasking: Bool { true }

  /// The dropout rate on the attention probabilities (training only).
  @Config public var dropout: Float = 0
  /// Whether the projections have biases.
  @Config public var useBias = true
  /// Keras's gated attention; only `false` is supported.
  @Config public var useGate = false
  /// Keras's sliding-window attention; only nil is supported.
  @Config public var slidingWindow: Int? = nil
  /// The projection kernels' initializer (Glorot uniform), regularizer and constraint.
  @Config("kernel") public var kernelOptions = WeightOptions(initializer: GlorotUniform())
  /// The projection biases' initializer (zeros), regularizer and constraint.
  @Config("bias") public var biasOptions = WeightOptions(initializer: Zeros())

  /// Keras writes `activity_regularizer` even when unset.
  public override class var configListsActivityRegularizer: Bool { true }
  /// `layer(query, value, key=…, attention_mask=…)`: separate positional tensors.
  public override class var takesSeparateInputs: Bool { true }
  /// The masks of query, value and key all matter.
  public override class var readsEveryInputMask: Bool { true }
  /// The keyword arguments a functional call keeps, by Keras's names.
  public override class var callKeywords: [String] {
    ["query", "value", "key", "attention_mask", "use_causal_mask", "return_attention_scores"]
  }

  /// The query projection (after build).
  public internal(set) var queryDense: EinsumDense?
  /// The key projection (after build).
  public internal(set) var keyDense: EinsumDense?
  /// The value projection (after build).
  public internal(set) var valueDense: EinsumDense?
  /// The output projection back from the heads (after build).
  public internal(set) var outputDense: EinsumDense?
  /// The activity regularizer, which Keras applies to the four projections.
  var projectionActivityRegularizer: (any Regularizer)?

  /// The prefix of the projections' attribute names in Keras's weights files.
  class var projectionPathPrefix: String { "" }

  /// Sets the options both layers' initializers take alike, in Keras's order of
  /// arguments: dropout, biases, the projections' weight options, the activity
  /// regularizer and the seed.
  func setSharedOptions(
    dropout: Float, useBias: Bool,
    kernel: (any Initializer, (any Regularizer)?, (any Constraint)?),
    bias: (any Initializer, (any Regularizer)?, (any Constraint)?),
    activityRegularizer: (any Regularizer)?, seed: UInt64?
  ) {
    self.dropout = dropout
    self.useBias = useBias
    kernelOptions = WeightOptions(kernel.0, kernel.1, kernel.2)
    biasOptions = WeightOptions(bias.0, bias.1, bias.2)
    self.activityRegularizer = activityRegularizer
    self.seed = seed
  }

  /// The layer as error messages name it.
  var what: String { "layer '\(name)' (\(className))" }

  /// A projection with the layer's bias switch and weight options, and the activity
  /// regularizer Keras hands to every projection.
  func projection(
    _ equation: String, outputShape: [Int?], biasAxes: String, useBias: Bool,
    kernel: WeightOptions, bias: WeightOptions, name: String
  ) -> EinsumDense {
    EinsumDense(
      equation, outputShape: outputShape, biasAxes: useBias ? biasAxes : nil,
      kernelInitializer: kernel.initializer, biasInitializer: bias.initializer,
      kernelRegularizer: kernel.regularizer, biasRegularizer: bias.regularizer,
      activityRegularizer: activityRegularizer, kernelConstraint: kernel.constraint,
      biasConstraint: bias.constraint, name: name)
  }

  /// Keeps the built projections; Keras applies the activity regularizer to the
  /// projections, not to the output.
  func setProjections(
    query: EinsumDense, key: EinsumDense, value: EinsumDense, output: EinsumDense
  ) {
    (queryDense, keyDense, valueDense, outputDense) = (query, key, value, output)
    projectionActivityRegularizer = activityRegularizer
    activityRegularizer = nil
  }

  /// Throws unless there are two or three inputs: `[query, value]` or `[query, value, key]`.
  func checkInputCount(_ count: Int) throws {
    guard count == 2 || count == 3 else {
      throw SwiftKerasError(
        .invalidArgument,
        "\(what) expects [query, value] or [query, value, key], got \(count) input(s)")
    }
  }

  /// What every `attend` starts with: the key (`value` when nil) and its mask (none
  /// without a key), the layer built for the inputs' shapes, and its projections.
  func prepareAttend(query: Tensor, value: Tensor, key: Tensor?, keyMask: Tensor?) throws -> (
    key: Tensor, keyMask: Tensor?,
    projections: (query: EinsumDense, key: EinsumDense, value: EinsumDense, output: EinsumDense)
  ) {
    let shapes = [query.shape, value.shape] + (key.map { [$0.shape] } ?? [])
    try prepareCall(shapes)
    guard let queryDense, let keyDense, let valueDense, let outputDense else {
      throw SwiftKerasError(.invalidState, "\(what) is not built")
    }
    return (
      key ?? value, key == nil ? nil : keyMask, (queryDense, keyDense, valueDense, outputDense)
    )
  }

  /// Keras writes the activity regularizer the projections got, or null.
  public override func getConfig() -> [String: ConfigValue] {
    var config = super.getConfig()
    config["activity_regularizer"] =
      (projectionActivityRegularizer ?? activityRegularizer)?.serialized ?? .null
    return config
  }

  /// Keras's `shapes_dict` of the built query, value and key shapes.
  public override var buildConfig: ConfigValue? {
    let names = ["query_shape", "value_shape", "key_shape"]
    var shapes: [String: ConfigValue] = [:]
    for (name, shape) in zip(names, builtInputShapes) {
      shapes[name] = .array(shape.map { $0.map { .int($0) } ?? .null })
    }
    return ["shapes_dict": .object(shapes)]
  }

  /// Keras keeps the projections under these attribute names in weights files.
  public override var savedSublayers: [(path: String, layer: Layer)]? {
    guard let queryDense, let keyDense, let valueDense, let outputDense else { return [] }
    let prefix = Self.projectionPathPrefix
    return [
      (prefix + "query_dense", queryDense), (prefix + "key_dense", keyDense),
      (prefix + "value_dense", valueDense), (prefix + "output_dense", outputDense),
    ]
  }

  /// Projects, attends and projects back, as Keras's `call`; the output and the scores
  /// (softmax probabilities before dropout). Subclasses override it.
  func attend(
    query: Tensor, value: Tensor, key: Tensor?, attentionMask: Tensor?, queryMask: Tensor?,
    valueMask: Tensor?, keyMask: Tensor?, useCausalMask: Bool, returnScores: Bool,
    training: Bool
  ) throws -> (output: Tensor, scores: Tensor) {
    fatalError("\(className) must override attend")
  }

  /// The attention output for `query` attending to `value` (and `key`, or `value` when
  /// nil), as Keras's `call`.
  ///
  /// - Parameters:
  ///   - attentionMask: `[batch, T, S]`, non-zero where a query step may attend a key
  ///     step.
  ///   - queryMask, valueMask, keyMask: Keras masks `[batch, T]` / `[batch, S]`.
  ///   - useCausalMask: also forbid attending to later steps.
  public func callAsFunction(
    query: Tensor, value: Tensor, key: Tensor? = nil, attentionMask: Tensor? = nil,
    queryMask: Tensor? = nil, valueMask: Tensor? = nil, keyMask: Tensor? = nil,
    useCausalMask: Bool = false, training: Bool = false
  ) throws -> Tensor {
    try attend(
      query: query, value: value, key: key, attentionMask: attentionMask, queryMask: queryMask,
      valueMask: valueMask, keyMask: keyMask, useCausalMask: useCausalMask,
      returnScores: false, training: training
    ).output
  }

  /// The attention output and the attention scores `[batch, heads, T, S]` (softmax
  /// probabilities before dropout), as Keras's `return_attention_scores=True`.
  public func callWithScores(
    query: Tensor, value: Tensor, key: Tensor? = nil, attentionMask: Tensor? = nil,
    queryMask: Tensor? = nil, valueMask: Tensor? = nil, keyMask: Tensor? = nil,
    useCausalMask: Bool = false, training: Bool = false
  ) throws -> (output: Tensor, scores: Tensor) {
    try attend(
      query: query, value: value, key: key, attentionMask: attentionMask, queryMask: queryMask,
      valueMask: valueMask, keyMask: keyMask, useCausalMask: useCausalMask,
      returnScores: true, training: training)
  }

  /// A symbolic call: the graph tensors of the output, then of the scores when
  /// `returnScores`.
  func symbolicCall(
    query: KerasTensor, value: KerasTensor, key: KerasTensor?, attentionMask: KerasTensor?,
    useCausalMask: Bool, returnScores: Bool
  ) throws -> [KerasTensor] {
    var arguments = CallArguments()
    var inputs = [query, value]
    if let key {
      inputs.append(key)
      arguments.tensorKeywords.append("key")
    }
    if let attentionMask {
      inputs.append(attentionMask)
      arguments.tensorKeywords.append("attention_mask")
    }
    if useCausalMask { arguments.options["use_causal_mask"] = true }
    if returnScores { arguments.options["return_attention_scores"] = true }
    return try callOutputs(inputs, arguments: arguments)
  }

  public override func buildShapes(for inputShapes: [Shape], arguments: CallArguments) throws
    -> [Shape]
  {
    let roles = try AttentionRoles(inputShapes, arguments: arguments, layer: what)
    return [roles.query, roles.value] + (roles.key.map { [$0] } ?? [])
  }

  public override func checkInputs(_ shapes: [[Int]]) throws {
    guard shapes.count == builtInputShapes.count || shapes.count == 2 else {
      throw SwiftKerasError(
        .invalidArgument,
        "\(what) expects [query, value] or [query, value, key], got \(shapes.count) input(s)")
    }
    for (shape, expected) in zip(shapes, builtInputShapes)
    where shape.count != expected.count || shape.last != expected.last ?? nil {
      throw SwiftKerasError(
        .shapeMismatch,
        "\(what) expects inputs of shapes \(builtInputShapes.map(formatShape).joined(separator: ", ")), got \(formatShape(shape.map { Optional($0) }))"
      )
    }
  }

  public override func call(_ inputs: [Tensor], training: Bool) throws -> Tensor {
    try callOutputs(inputs, masks: [], arguments: .none, training: training)[0]
  }

  public override func callOutputs(
    _ inputs: [Tensor], masks: [Tensor?], arguments: CallArguments, training: Bool
  ) throws -> [Tensor] {
    let roles = try AttentionRoles(inputs, arguments: arguments, layer: what)
    let inputMasks = try AttentionRoles(
      masks.isEmpty ? inputs.map { _ in nil } : masks, arguments: arguments, layer: what)
    let returnScores = try arguments.bool("return_attention_scores")
    let result = try attend(
      query: roles.query, value: roles.value, key: roles.key,
      attentionMask: roles.attentionMask, queryMask: inputMasks.query ?? nil,
      valueMask: inputMasks.value ?? nil, keyMask: inputMasks.key ?? nil,
      useCausalMask: try arguments.bool("use_causal_mask"), returnScores: returnScores,
      training: training)
    return returnScores ? [result.output, result.scores] : [result.output]
  }

  public override func computeMask(
    _ inputs: [Tensor], masks: [Tensor?], arguments: CallArguments
  ) throws -> Tensor? {
    masks.first ?? nil
  }

  public override func computeMask(_ inputs: [Tensor], mask: Tensor?) throws -> Tensor? { mask }
}
