import SwiftKerasCore

/// The arithmetic the attention layers share: Keras's masks (query `[B, T, 1]`, value
/// and key `[B, 1, S]`, causal `[1, T, S]`, all combined by logical and, 1 where a
/// position may be attended), the masked softmax, and scaled dot-product attention over
/// heads as one batched product per step.
enum AttentionMath {
  /// Keras's causal mask `[1, queryLength, valueLength]`: 1 where the query step is at or
  /// after the value step.
  static func causalMask(queryLength: Int, valueLength: Int) -> Tensor {
    Tensor(shape: [1, queryLength, valueLength]) { out in
      for i in 0..<queryLength {
        for j in 0..<valueLength { out[i * valueLength + j] = i >= j ? 1 : 0 }
      }
    }
  }

  /// `mask` as 0/1 values (Keras treats any non-zero mask entry as true).
  static func binary(_ mask: Tensor) -> Tensor { mask.detached.mapped { $0 != 0 ? 1 : 0 } }

  /// The logical and of two 0/1 masks with broadcasting, or the one given.
  static func and(_ a: Tensor?, _ b: Tensor?, layer: String) throws -> Tensor? {
    guard let a else { return b }
    guard let b else { return a }
    guard broadcastShape(a.shape, b.shape) != nil else {
      throw SwiftKerasError(
        .shapeMismatch,
        "\(layer): masks of shapes \(a.shape) and \(b.shape) cannot be combined (expected query [batch, T], value and key [batch, S], attention mask [batch, T, S])"
      )
    }
    return a * b
  }

  /// The broadcast shape of `a` and `b`, or nil when they do not broadcast.
  static func broadcastShape(_ a: [Int], _ b: [Int]) -> [Int]? {
    let rank = max(a.count, b.count)
    let pa = [Int](repeating: 1, count: rank - a.count) + a
    let pb = [Int](repeating: 1, count: rank - b.count) + b
    var result: [Int] = []
    for (x, y) in zip(pa, pb) {
      guard x == y || x == 1 || y == 1 else { return nil }
      result.append(x == 1 ? y : x)
    }
    return result
  }

  /// Keras's `_compute_attention_mask`: the query mask as `[B, T, 1]`, the value and key
  /// masks as `[B, 1, S]`, the causal mask and the explicit attention mask, and-ed.
  static func attentionMask(
    queryMask: Tensor?, valueMask: Tensor?, keyMask: Tensor?, attentionMask: Tensor?,
    causal: (queryLength: Int, valueLength: Int)?, layer: String
  ) throws -> Tensor? {
    var mask: Tensor?
    if let queryMask { mask = binary(queryMask).expandingShape(at: queryMask.rank) }
    if let valueMask {
      mask = try and(mask, binary(valueMask).expandingShape(at: valueMask.rank - 1), layer: layer)
    }
    if let keyMask {
      mask = try and(mask, binary(keyMask).expandingShape(at: keyMask.rank - 1), layer: layer)
    }
    if let causal {
      mask = try and(
        mask, causalMask(queryLength: causal.queryLength, valueLength: causal.valueLength),
        layer: layer)
    }
    if let attentionMask { mask = try and(binary(attentionMask), mask, layer: layer) }
    return mask
  }

  /// `mask` with axes of extent 1 inserted before its last `2 · attentionAxes` axes until
  /// it has `shape`'s rank (as Keras's `_masked_softmax`), broadcast to `shape`.
  static func expandedMask(
    _ mask: Tensor, to shape: [Int], attentionAxes: Int, layer: String
  ) throws -> Tensor {
    var expanded = mask
    while expanded.rank < shape.count {
      let position = max(0, expanded.rank - 2 * attentionAxes)
      expanded = expanded.expandingShape(at: position)
    }
    guard expanded.rank == shape.count,
      zip(expanded.shape, shape).allSatisfy({ $0 == $1 || $0 == 1 })
    else {
      throw SwiftKerasError(
        .shapeMismatch,
        "\(layer): the attention mask of shape \(mask.shape) does not broadcast to the attention scores' shape \(shape)"
      )
    }
    return expanded.broadcast(toShape: shape)
  }

  /// The softmax along the last axis of `scores` where `mask` is 1 (masked scores become
  /// -1e9 first, as Keras's `Softmax(mask=)` and `dot_product_attention`). With
  /// `zeroMasked`, masked positions come out 0 (Keras's Softmax layer), so a fully
  /// masked row is all zeros; without, such a row is uniform (Keras's
  /// `dot_product_attention` path).
  static func maskedSoftmax(_ scores: Tensor, mask: Tensor?, zeroMasked: Bool) -> Tensor {
    guard let mask else { return scores.softmax(alongAxis: -1) }
    let probabilities = `where`(mask, scores, Tensor(-1e9)).softmax(alongAxis: -1)
    return zeroMasked ? probabilities * mask : probabilities
  }
}

/// Multi-head dot-product attention over any attention axes, as Keras's
/// `MultiHeadAttention._compute_attention`. Projected tensors have shape
/// `[batch, <other axes>, heads, channels]`; the batch, the axes not attended over and the
/// heads are gathered into one batch axis and the attended axes into one, so each of the
/// two products is a single batched matrix multiplication over every head.
struct HeadAttention {
  /// The attended axes of the projected tensors (between 1 and rank - 3).
  let attentionAxes: [Int]
  /// The layer's description for errors.
  let layer: String

  /// The axes gathered into the batch (batch, axes not attended, heads), in order.
  private func batchAxes(rank: Int) -> [Int] {
    (0..<(rank - 1)).filter { !attentionAxes.contains($0) }
  }

  /// The attention output `[batch, …, heads, valueChannels]` and Keras's attention
  /// scores `[batch, <other axes>, heads, <query attended axes>, <key attended axes>]`.
  ///
  /// - Parameters:
  ///   - mask: a 0/1 mask broadcastable (after Keras's axis insertion) to the scores.
  ///   - zeroMasked: whether masked probabilities are zeroed (see
  ///     ``AttentionMath/maskedSoftmax(_:mask:zeroMasked:)``).
  ///   - dropout: drops probabilities (training only) before the second product.
  func callAsFunction(
    query: Tensor, key: Tensor, value: Tensor, scale: Float, mask: Tensor?, zeroMasked: Bool,
    dropout: ((Tensor) -> Tensor)?
  ) throws -> (output: Tensor, scores: Tensor) {
    let rank = query.rank
    let batch = batchAxes(rank: rank)
    let order = batch + attentionAxes + [rank - 1]
    func flattened(_ x: Tensor) -> (Tensor, [Int], [Int]) {
      let moved = x.transposed(permutation: order)
      let batchExtents = batch.map { x.shape[$0] }
      let attended = attentionAxes.map { x.shape[$0] }
      return (
        moved.reshaped(to: [
          batchExtents.reduce(1, *), attended.reduce(1, *), x.shape[rank - 1],
        ]), batchExtents, attended
      )
    }
    let (q, batchExtents, queryExtents) = flattened(query * scale)
    let (k, _, keyExtents) = flattened(key)
    let (v, _, _) = flattened(value)
    // [B·others·heads, T, S]: one batched product for every head.
    var logits = matmul(q, k, transposeB: true)
    let scoresShape = batchExtents + queryExtents + keyExtents
    var flatMask: Tensor?
    if let mask {
      flatMask = try AttentionMath.expandedMask(
        mask, to: scoresShape, attentionAxes: attentionAxes.count, layer: layer
      ).reshaped(to: logits.shape)
    }
    logits = AttentionMath.maskedSoftmax(logits, mask: flatMask, zeroMasked: zeroMasked)
    let dropped = dropout.map { $0(logits) } ?? logits
    let combined = matmul(dropped, v)
    let unflattened = combined.reshaped(to: batchExtents + queryExtents + [value.shape[rank - 1]])
    let inverse = (0..<rank).map { order.firstIndex(of: $0)! }
    return (unflattened.transposed(permutation: inverse), logits.reshaped(to: scoresShape))
  }
}

extension BaseRandomLayer {
  /// Dropout of the attention probabilities at `rate` while training, else nil: every
  /// attention layer drops whole probabilities, drawing from its own generator.
  func probabilityDropout(rate: Float, training: Bool) -> ((Tensor) -> Tensor)? {
    training && rate > 0 ? { [self] in dropped($0, rate: rate, maskShape: $0.shape) } : nil
  }
}
