import SwiftKerasCore

/// The base of the merging layers, as Keras's `Merge`: layers called on a list of inputs.
///
/// By default it merges element-wise (``Add``, ``Subtract``, ``Multiply``, ``Average``,
/// ``Maximum``, ``Minimum``): inputs must have the same shape, except that an extent of 1
/// broadcasts against any other and a lower-rank input is given extra axes of extent 1
/// after the batch axis, as Keras. Incompatible shapes throw when the layer is built,
/// naming the layer and both shapes. Element-wise subclasses override
/// ``mergeFunction(_:)``; ``Concatenate`` and ``Dot`` override the shape rules too.
open class Merge: Layer {
  /// Combines inputs that already have equal rank.
  open func mergeFunction(_ inputs: [Tensor]) throws -> Tensor {
    throw SwiftKerasError(
      .invalidState, "layer '\(name)' (\(className)) does not implement mergeFunction")
  }

  /// The fewest inputs the layer accepts (1 for most merges).
  open var minimumInputCount: Int { 1 }

  /// The most inputs the layer accepts (nil for any number).
  open var maximumInputCount: Int? { nil }

  public override func build(inputShape: Shape) throws {
    try build(inputShapes: [inputShape])
  }

  public override func build(inputShapes: [Shape]) throws {
    _ = try elementwiseShape(inputShapes)
  }

  /// Throws unless `count` inputs are accepted.
  func checkCount(_ count: Int) throws {
    let range =
      maximumInputCount.map {
        $0 == minimumInputCount ? "exactly \($0)" : "\(minimumInputCount) to \($0)"
      }
      ?? "at least \(minimumInputCount)"
    guard count >= minimumInputCount, count <= (maximumInputCount ?? Int.max) else {
      throw SwiftKerasError(
        .invalidArgument, "layer '\(name)' (\(className)) expects \(range) inputs, got \(count)")
    }
  }

  /// The shape of the element-wise result of `shapes` (batch axis included), following
  /// Keras's `Merge._compute_elemwise_op_output_shape`; throws naming both shapes when two
  /// inputs do not fit.
  func elementwiseShape(_ shapes: [Shape]) throws -> Shape {
    try checkCount(shapes.count)
    var output = Array(shapes[0].dropFirst())
    for shape in shapes.dropFirst() {
      let other = Array(shape.dropFirst())
      let (long, short) = output.count >= other.count ? (output, other) : (other, output)
      var merged = Array(long.prefix(long.count - short.count))
      for (i, j) in zip(long.suffix(short.count), short) {
        if i == nil || j == nil {
          merged.append(nil)
        } else if i == 1 {
          merged.append(j)
        } else if j == 1 || i == j {
          merged.append(i)
        } else {
          throw SwiftKerasError(
            .shapeMismatch,
            "layer '\(name)' (\(className)) got inputs of incompatible shapes \(formatShape(shapes[0])) and \(formatShape(shape)); all inputs must have the same shape (extents of 1 broadcast)"
          )
        }
      }
      output = merged
    }
    let batches = Set(shapes.compactMap { $0.first ?? nil })
    return [batches.count == 1 ? batches.first : nil] + output
  }

  public override func call(_ inputs: [Tensor], training: Bool) throws -> Tensor {
    try mergeFunction(try aligned(inputs))
  }

  /// The inputs checked (count, batch sizes, shapes) and given equal ranks: a lower-rank
  /// input gets extra axes of extent 1 after the batch axis.
  func aligned(_ inputs: [Tensor]) throws -> [Tensor] {
    try checkCount(inputs.count)
    let batches = Set(inputs.map { $0.shape.first ?? 1 })
    guard batches.count == 1 else {
      throw SwiftKerasError(
        .shapeMismatch,
        "layer '\(name)' (\(className)) cannot merge inputs with different batch sizes: \(inputs.map { $0.shape })"
      )
    }
    _ = try elementwiseShape(inputs.map { $0.shape.map { Optional($0) } })
    let rank = inputs.map { $0.rank }.max() ?? 0
    return inputs.map { input -> Tensor in
      var x = input
      while x.rank < rank { x = x.expandingShape(at: 1) }
      return x
    }
  }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    try elementwiseShape(inputShapes)
  }

  /// Merging layers take masks: when every input carries one, the output is masked where
  /// all inputs are (the masks or-ed), and when some input has none the output has none,
  /// as Keras's `Merge.compute_mask`. (`Multiply`, `Maximum` and `Minimum` also replace
  /// masked values before merging, as Keras's.)
  public override var supportsMasking: Bool { true }

  open override func computeMask(_ inputs: [Tensor], masks: [Tensor?]) throws -> Tensor? {
    let given = masks.compactMap { $0?.detached }
    guard given.count == masks.count, var combined = given.first else { return nil }
    for mask in given.dropFirst() {
      guard mask.shape == combined.shape else {
        throw SwiftKerasError(
          .shapeMismatch,
          "layer '\(name)' (\(className)): input masks of shapes \(combined.shape) and \(mask.shape) cannot be combined"
        )
      }
      combined = maximum(combined, mask)
    }
    return combined
  }

  /// Each input's mask spread over its last axis (nil where an input has none, or where
  /// the mask does not fit), for the merges whose values depend on masks.
  func spreadMasks(_ inputs: [Tensor], _ masks: [Tensor?]) -> [Tensor?] {
    zip(inputs, masks).map { input, mask in
      guard let mask, mask.rank == input.rank - 1, Array(input.shape.dropLast()) == mask.shape
      else { return nil }
      return mask.detached.expandingShape(at: mask.rank).broadcast(toShape: input.shape)
    }
  }

  /// Keras's `_apply_merge_op_and_or_mask` (Maximum, Minimum): a masked value takes the
  /// running result's place before merging, and the running result where it is masked
  /// takes the value's, so masked entries never win.
  func mergeMaskedPairwise(
    _ inputs: [Tensor], masks: [Tensor?], training: Bool, _ op: (Tensor, Tensor) -> Tensor
  ) throws -> [Tensor] {
    try prepareCall(inputs.map { $0.shape })
    let inputs = try aligned(inputs)
    let spread = spreadMasks(inputs, masks)
    var output = inputs[0]
    var outputMask = spread[0]
    for (x, mask) in zip(inputs.dropFirst(), spread.dropFirst()) {
      var value = x
      if let mask { value = `where`(mask, value, output) }
      if let outputMask { output = `where`(outputMask, output, value) }
      if let mask, let current = outputMask {
        outputMask = maximum(current, mask)
      } else {
        outputMask = nil
      }
      output = op(output, value)
    }
    return [finishCall(output)]
  }
}
