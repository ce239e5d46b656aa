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
public final class AdditiveAttention: ScoredAttentionLayer, ConfigInitializable {
  /// Whether the tanh terms are weighted by a learned `scale` vector.
  @Config public var useScale = true

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

  public override func build(inputShapes: [Shape]) throws {
    try checkRate(dropout)
    try ScoredAttention.checkShapes(inputShapes, layer: what)
    guard let dim = inputShapes[0].last ?? nil else {
      throw SwiftKerasError(.shapeMismatch, "\(what): the query's last axis must be known")
    }
    if useScale { scale = addWeight(name: "scale", shape: [dim], initializer: GlorotUniform()) }
  }

  /// The learned score of `query` against `key`.
  override func score(query: Tensor, key: Tensor) -> Tensor {
    let terms = tanh(
      query.expandingShape(at: query.rank - 1) + key.expandingShape(at: key.rank - 2))
    return (scale.map { terms * $0.value } ?? terms).sum(alongAxis: -1)
  }
}
