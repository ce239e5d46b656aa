import SwiftKerasCore

/// Additive (Bahdanau-style) attention, as `keras.layers.AdditiveAttention`: scores
/// `Σ scale · tanh(query + key)` over the features, with a learned `scale` vector
/// (Glorot-uniform initialized) when `useScale`; then, as ``Attention``, a softmax over
/// the value steps and the weighted sum of the values.
///
/// Called on `[query, value]` or `[query, value, key]`; value and query masks, and the
/// call options `useCausalMask` and `returnAttentionScores`, behave as in ``Attention``.
///
/// ```swift
/// let query = Input(shape: [4, 8]), value = Input(shape: [6, 8])
/// let attended = try AdditiveAttention()([query, value])   // [nil, 4, 8]
/// ```
public final class AdditiveAttention: BaseRandomLayer, ConfigInitializable {
  /// The output carries the query's mask.
  public override var supportsMasking: Bool { true }

  /// Whether the tanh terms are weighted by a learned `scale` vector.
  @Config public var useScale = true
  /// The dropout rate on the attention probabilities (training only).
  @Config public var dropout: Float = 0

  /// The masks of query and value both matter.
  public override class var readsEveryInputMask: Bool { true }
  /// The call options a functional call keeps, by Keras's names.
  public override class var callKeywords: [String] {
    ["return_attention_scores", "use_causal_mask"]
  }

  /// The learned `[dim]` scale (after build, when `useScale`).
  public private(set) var scale: Variable?

  /// Creates the layer with Keras's defaults.
  public convenience init(
    useScale: Bool = true, dropout: Float = 0, seed: UInt64? = nil, name: String? = nil
  ) {
    self.init(name: name)
    self.useScale = useScale
    self.dropout = dropout
    self.seed = seed
  }

  private var what: String { "layer '\(name)' (AdditiveAttention)" }

  public override func build(inputShapes: [Shape]) throws {
    try checkRate(dropout)
    try ScoredAttention.checkShapes(inputShapes, layer: what)
    guard let dim = inputShapes[0].last ?? nil else {
      throw SwiftKerasError(.shapeMismatch, "\(what): the query's last axis must be known")
    }
    if useScale { scale = addWeight(name: "scale", shape: [dim], initializer: GlorotUniform()) }
  }

  public override func call(_ inputs: [Tensor], training: Bool) throws -> Tensor {
    try callOutputs(inputs, masks: [], arguments: .none, training: training)[0]
  }

  public override func callOutputs(
    _ inputs: [Tensor], masks: [Tensor?], arguments: CallArguments, training: Bool
  ) throws -> [Tensor] {
    try prepareCall(inputs.map { $0.shape })
    return try ScoredAttention(layer: what).run(
      inputs, masks: masks, arguments: arguments, training: training,
      dropout: training && dropout > 0
        ? { [self] in dropped($0, rate: dropout, maskShape: $0.shape) } : nil
    ) { query, key in
      let terms = tanh(
        query.expandingShape(at: query.rank - 1) + key.expandingShape(at: key.rank - 2))
      return (scale.map { terms * $0.value } ?? terms).sum(alongAxis: -1)
    }
  }

  public override func computeMask(
    _ inputs: [Tensor], masks: [Tensor?], arguments: CallArguments
  ) throws -> Tensor? {
    masks.first ?? nil
  }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    ScoredAttention.outputShapes(inputShapes, scores: false)[0]
  }

  public override func symbolicOutputShapes(inputShapes: [Shape], arguments: CallArguments)
    throws -> [Shape]
  {
    ScoredAttention.outputShapes(
      inputShapes, scores: try arguments.bool("return_attention_scores"))
  }
}
