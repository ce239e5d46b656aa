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

  /// The layer as error messages name it.
  var what: String { "layer '\(name)' (\(className))" }

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
