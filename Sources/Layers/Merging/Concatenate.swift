import SwiftKerasCore

/// Joins its inputs along one axis, as `keras.layers.Concatenate`. All other extents must
/// match; a mismatch throws when the layer is built, naming the shapes.
///
/// ```swift
/// let joined = try Concatenate()([a, b])   // [batch, 3] and [batch, 4] give [batch, 7]
/// ```
public final class Concatenate: Merge, ConfigInitializable {
  /// The axis joined along (negative counts from the end; Keras's default -1).
  @Config public var axis: Int = -1

  /// Creates the layer.
  public convenience init(axis: Int = -1, name: String? = nil) {
    self.init(name: name)
    self.axis = axis
  }

  public override func build(inputShapes: [Shape]) throws {
    _ = try concatenatedShape(inputShapes)
  }

  /// The joined shape; throws when ranks differ, the axis is out of range or another
  /// extent differs.
  private func concatenatedShape(_ shapes: [Shape]) throws -> Shape {
    guard let first = shapes.first else {
      throw SwiftKerasError(
        .invalidArgument, "layer '\(name)' (Concatenate) expects at least 1 input, got 0")
    }
    let rank = first.count
    let describe = { shapes.map { formatShape($0) }.joined(separator: ", ") }
    guard shapes.allSatisfy({ $0.count == rank }) else {
      throw SwiftKerasError(
        .shapeMismatch,
        "layer '\(name)' (Concatenate) needs inputs of equal rank, got shapes \(describe())")
    }
    let a = axis < 0 ? axis + rank : axis
    guard a >= 0, a < rank else {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(name)' (Concatenate): axis \(axis) is out of range for inputs of rank \(rank)")
    }
    var output = first
    for shape in shapes.dropFirst() {
      for i in 0..<rank where i != a {
        if let x = output[i], let y = shape[i], x != y {
          throw SwiftKerasError(
            .shapeMismatch,
            "layer '\(name)' (Concatenate) needs inputs with matching shapes except along axis \(axis), got shapes \(describe())"
          )
        }
        output[i] = output[i] ?? shape[i]
      }
      output[a] = output[a].flatMap { x in shape[a].map { x + $0 } }
    }
    return output
  }

  public override func call(_ inputs: [Tensor], training: Bool) throws -> Tensor {
    _ = try concatenatedShape(inputs.map { $0.shape.map { Optional($0) } })
    return Tensor.concatenate(inputs, alongAxis: axis)
  }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    try concatenatedShape(inputShapes)
  }

  /// The masks joined as Keras's `Concatenate.compute_mask` joins them: each mask (all
  /// ones for an input without one) spread over its input's last axis, concatenated along
  /// `axis`, then any step left unmasked in some input stays unmasked.
  public override func computeMask(_ inputs: [Tensor], masks: [Tensor?]) throws -> Tensor? {
    guard masks.contains(where: { $0 != nil }) else { return nil }
    let spread = try zip(inputs, masks).map { input, mask -> Tensor in
      guard let mask else { return Tensor.ones(input.shape) }
      guard mask.rank == input.rank - 1, Array(input.shape.dropLast()) == mask.shape else {
        throw SwiftKerasError(
          .shapeMismatch,
          "layer '\(name)' (Concatenate): a mask of shape \(mask.shape) does not fit an input of shape \(input.shape)"
        )
      }
      return mask.detached.expandingShape(at: mask.rank).broadcast(toShape: input.shape)
    }
    return Tensor.concatenate(spread, alongAxis: axis).max(alongAxis: -1)
  }
}
