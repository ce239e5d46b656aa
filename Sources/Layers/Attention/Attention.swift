import SwiftKerasCore

/// Dot-product (Luong-style) attention, as `keras.layers.Attention`: scores
/// `query · keyᵀ` (times a learned `scale` when `useScale`), or with `scoreMode: "concat"`
/// `concatScoreWeight · Σ tanh(scale · (query + key))`; a softmax over the value steps;
/// the output is the scores' weighted sum of the values.
///
/// Called on `[query, value]` or `[query, value, key]` (`[batch, T, dim]`, `[batch, S,
/// dim]`). A value mask hides padded value steps, a query mask zeroes padded output steps
/// (and is the output's mask); call options `useCausalMask` and `returnAttentionScores`
/// (a second output `[batch, T, S]`).
///
/// ```swift
/// let query = Input(shape: [4, 8]), value = Input(shape: [6, 8])
/// let attended = try Attention()([query, value])   // [nil, 4, 8]
/// ```
public final class Attention: ScoredAttentionLayer, ConfigInitializable {
  /// Whether the scores are multiplied by a learned scalar `scale` (initially 1).
  @Config public var useScale = false
  /// `"dot"` (query · key) or `"concat"` (Σ tanh(query + key)).
  @Config public var scoreMode = "dot"

  /// The learned scalar scale (after build, when `useScale`).
  public private(set) var scale: Variable?
  /// The learned scalar of concat scores (after build, when `scoreMode` is `"concat"`).
  public private(set) var concatScoreWeight: Variable?

  /// Creates the layer with Keras's defaults.
  public convenience init(
    useScale: Bool = false, scoreMode: String = "dot", dropout: Float = 0, seed: UInt64? = nil,
    name: String? = nil
  ) {
    self.init(name: name)
    self.useScale = useScale
    self.scoreMode = scoreMode
    self.dropout = dropout
    self.seed = seed
  }

  public override func build(inputShapes: [Shape]) throws {
    guard scoreMode == "dot" || scoreMode == "concat" else {
      throw SwiftKerasError(
        .invalidArgument,
        "\(what): scoreMode must be 'dot' or 'concat', got '\(scoreMode)'")
    }
    try checkRate(dropout)
    try ScoredAttention.checkShapes(inputShapes, layer: what)
    if useScale { scale = addWeight(name: "scale", shape: [], initializer: Ones()) }
    if scoreMode == "concat" {
      concatScoreWeight = addWeight(name: "concat_score_weight", shape: [], initializer: Ones())
    }
  }

  /// The learned score of `query` against `key`.
  override func score(query: Tensor, key: Tensor) -> Tensor {
    if scoreMode == "dot" {
      let scores = matmul(query, key, transposeB: true)
      return scale.map { scores * $0.value } ?? scores
    }
    let sum = query.expandingShape(at: query.rank - 1) + key.expandingShape(at: key.rank - 2)
    let scaled = scale.map { sum * $0.value } ?? sum
    let scores = tanh(scaled).sum(alongAxis: -1)
    return concatScoreWeight.map { scores * $0.value } ?? scores
  }
}

/// What ``Attention`` and ``AdditiveAttention`` share as layers: the dropout rate, masks
/// in and out, the call options, the output shapes and the call, which runs
/// ``ScoredAttention`` with the subclass's ``score(query:key:)``.
public class ScoredAttentionLayer: BaseRandomLayer {
  /// The output carries the query's mask.
  public override var supportsMasking: Bool { true }

  /// The dropout rate on the attention probabilities (training only).
  @Config public var dropout: Float = 0

  /// The masks of query and value both matter.
  public override class var readsEveryInputMask: Bool { true }
  /// The call options a functional call keeps, by Keras's names.
  public override class var callKeywords: [String] {
    ["return_attention_scores", "use_causal_mask"]
  }

  /// The layer as error messages name it.
  var what: String { "layer '\(name)' (\(className))" }

  /// The scores of `query` against `key`, before masks and softmax. Subclasses override it.
  func score(query: Tensor, key: Tensor) -> Tensor {
    fatalError("\(className) must override score(query:key:)")
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
      dropout: probabilityDropout(rate: dropout, training: training), score: score(query:key:))
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

/// What `Attention` and `AdditiveAttention` share, as Keras's `Attention` base: the
/// input checks, the value and causal masks on the scores, the softmax, dropout, the
/// weighted sum of the values and the query mask on the output.
struct ScoredAttention {
  /// The layer's description for errors.
  let layer: String

  /// Throws unless the shapes are `[query, value]` or `[query, value, key]` of rank ≥ 3
  /// with query and key of one feature size and value and key of one length.
  static func checkShapes(_ shapes: [Shape], layer: String) throws {
    guard shapes.count == 2 || shapes.count == 3 else {
      throw SwiftKerasError(
        .invalidArgument,
        "\(layer) expects [query, value] or [query, value, key], got \(shapes.count) input(s)")
    }
    let (query, value) = (shapes[0], shapes[1])
    let key = shapes.count == 3 ? shapes[2] : value
    guard query.count >= 3, value.count == query.count, key.count == query.count,
      query.last == key.last,
      value[value.count - 2] == key[key.count - 2]
        || value[value.count - 2] == nil || key[key.count - 2] == nil
    else {
      throw SwiftKerasError(
        .shapeMismatch,
        "\(layer): expected query [batch, T, dim], value [batch, S, v] and key [batch, S, dim], got query \(formatShape(query)), value \(formatShape(value)), key \(formatShape(key))"
      )
    }
  }

  /// The output shape `query[:-1] + [value's last]`, then, with `scores`, the scores'
  /// `query[:-1] + [key's length]`.
  static func outputShapes(_ shapes: [Shape], scores: Bool) -> [Shape] {
    let (query, value) = (shapes[0], shapes[1])
    let key = shapes.count == 3 ? shapes[2] : value
    let output = Array(query.dropLast()) + [value.last ?? nil]
    guard scores else { return [output] }
    return [output, Array(query.dropLast()) + [key[key.count - 2]]]
  }

  /// The output (and, with `return_attention_scores`, the scores) of scoring `query`
  /// against `key` with `score`.
  func run(
    _ inputs: [Tensor], masks: [Tensor?], arguments: CallArguments, training: Bool,
    dropout: ((Tensor) -> Tensor)?, score: (Tensor, Tensor) throws -> Tensor
  ) throws -> [Tensor] {
    try ScoredAttention.checkShapes(inputs.map { $0.shape.map { Optional($0) } }, layer: layer)
    let query = inputs[0]
    let value = inputs[1]
    let key = inputs.count == 3 ? inputs[2] : value
    guard query.shape[0] == value.shape[0], key.shape[0] == value.shape[0],
      key.shape[key.rank - 2] == value.shape[value.rank - 2]
    else {
      throw SwiftKerasError(
        .shapeMismatch,
        "\(layer): query \(query.shape), value \(value.shape) and key \(key.shape) differ in batch or value/key length"
      )
    }
    let queryMask = masks.count > 0 ? masks[0] : nil
    let valueMask = masks.count > 1 ? masks[1] : nil
    var scores = try score(query, key)
    var mask = valueMask.map { AttentionMath.binary($0).expandingShape(at: $0.rank - 1) }
    if try arguments.bool("use_causal_mask") {
      mask = try AttentionMath.and(
        mask,
        AttentionMath.causalMask(
          queryLength: scores.shape[scores.rank - 2], valueLength: scores.shape[scores.rank - 1]),
        layer: layer)
    }
    if let mask {
      guard AttentionMath.broadcastShape(mask.shape, scores.shape) == scores.shape else {
        throw SwiftKerasError(
          .shapeMismatch,
          "\(layer): the value mask of shape \(valueMask?.shape ?? []) does not fit the scores' shape \(scores.shape)"
        )
      }
      // Keras: masked scores lowered by 1e9.
      scores = `where`(mask, scores, scores - 1e9)
    }
    let weights = scores.softmax(alongAxis: -1)
    var output = matmul(dropout.map { $0(weights) } ?? weights, value)
    if let queryMask {
      let expanded = AttentionMath.binary(queryMask).expandingShape(at: queryMask.rank)
      guard AttentionMath.broadcastShape(expanded.shape, output.shape) == output.shape else {
        throw SwiftKerasError(
          .shapeMismatch,
          "\(layer): the query mask of shape \(queryMask.shape) does not fit the output's shape \(output.shape)"
        )
      }
      output = output * expanded
    }
    return try arguments.bool("return_attention_scores") ? [output, weights] : [output]
  }
}
