import SwiftKerasCore

/// The dot product of two inputs along one axis of each, sample by sample, as
/// `keras.layers.Dot` (Keras's `batch_dot`).
///
/// For `[batch, n]` inputs with `axes: 1` the output is `[batch, 1]`. In general the
/// output holds the first input's remaining sample axes followed by the second's. With
/// `normalize` the inputs are L2-normalised along the axes first, giving the cosine
/// similarity.
///
/// ```swift
/// let similarity = try Dot(axes: 1, normalize: true)([a, b])   // [batch, 1]
/// ```
public final class Dot: Merge, ConfigInitializable {
  /// A dot product's output carries no mask, as Keras's `Dot.compute_mask`.
  public override func computeMask(_ inputs: [Tensor], masks: [Tensor?]) throws -> Tensor? {
    nil
  }

  /// The axis of each input (0 is the batch axis and not allowed; negative counts from
  /// the end).
  public var axes: [Int] {
    givenAxes.values.count == 1 ? givenAxes.values + givenAxes.values : givenAxes.values
  }
  /// The axes as given: one for both inputs, or one per input.
  @Config("axes", required: true) public var givenAxes = OneOrList([-1])
  /// Whether the inputs are L2-normalised along the axes first.
  @Config public var normalize = false

  /// Creates the layer taking the dot product along the same axis of both inputs.
  public convenience init(axes: Int, normalize: Bool = false, name: String? = nil) {
    self.init(axes: [axes], normalize: normalize, name: name)
  }

  /// Creates the layer taking the dot product along `axes[0]` of the first input and
  /// `axes[1]` of the second.
  public convenience init(axes: [Int], normalize: Bool = false, name: String? = nil) {
    self.init(name: name)
    givenAxes = OneOrList(axes)
    self.normalize = normalize
  }

  public override func build(inputShapes: [Shape]) throws {
    _ = try resolvedAxes(inputShapes)
  }

  /// The non-negative axes for inputs of `shapes`; throws for a bad count, axis or extent.
  private func resolvedAxes(_ shapes: [Shape]) throws -> (Int, Int) {
    guard shapes.count == 2 else {
      throw SwiftKerasError(
        .invalidArgument, "layer '\(name)' (Dot) expects exactly 2 inputs, got \(shapes.count)")
    }
    guard axes.count == 2 else {
      throw SwiftKerasError(
        .invalidArgument, "layer '\(name)' (Dot): axes must hold 2 integers, got \(axes)")
    }
    let (r0, r1) = (shapes[0].count, shapes[1].count)
    let a0 = axes[0] < 0 ? axes[0] + r0 : axes[0]
    let a1 = axes[1] < 0 ? axes[1] + r1 : axes[1]
    guard r0 >= 2, r1 >= 2, a0 >= 1, a0 < r0, a1 >= 1, a1 < r1 else {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(name)' (Dot): axes \(axes) do not select a non-batch axis of shapes \(formatShape(shapes[0])) and \(formatShape(shapes[1]))"
      )
    }
    if let d0 = shapes[0][a0], let d1 = shapes[1][a1], d0 != d1 {
      throw SwiftKerasError(
        .shapeMismatch,
        "layer '\(name)' (Dot): extents along the dot axes differ: \(d0) (axis \(a0) of \(formatShape(shapes[0]))) and \(d1) (axis \(a1) of \(formatShape(shapes[1])))"
      )
    }
    return (a0, a1)
  }

  public override func call(_ inputs: [Tensor], training: Bool) throws -> Tensor {
    let (a0, a1) = try resolvedAxes(inputs.map { $0.shape.map { Optional($0) } })
    var (x, y) = (inputs[0], inputs[1])
    guard x.shape[0] == y.shape[0] else {
      throw SwiftKerasError(
        .shapeMismatch,
        "layer '\(name)' (Dot) cannot combine batch sizes \(x.shape[0]) and \(y.shape[0])")
    }
    if normalize {
      x = l2Normalized(x, axis: a0)
      y = l2Normalized(y, axis: a1)
    }
    let batch = x.shape[0]
    let depth = x.shape[a0]
    // Bring x's dot axis last and y's to position 1, then one batched matrix product.
    let xOrder = (0..<x.rank).filter { $0 != a0 } + [a0]
    let yOrder = [0, a1] + (1..<y.rank).filter { $0 != a1 }
    let xRest = xOrder.dropFirst().dropLast().map { x.shape[$0] }
    let yRest = yOrder.dropFirst(2).map { y.shape[$0] }
    let xm = x.transposed(permutation: xOrder).reshaped(to: [batch, -1, depth])
    let ym = y.transposed(permutation: yOrder).reshaped(to: [batch, depth, -1])
    var outShape = [batch] + xRest + yRest
    if outShape.count == 1 { outShape.append(1) }
    return matmul(xm, ym).reshaped(to: outShape)
  }

  /// `x` divided by its L2 norm along `axis`, as Keras's `normalize` (norms below 1e-7
  /// count as 1e-7).
  private func l2Normalized(_ x: Tensor, axis: Int) -> Tensor {
    x / sqrt(maximum(square(x).sum(alongAxes: [axis], keepDims: true), Float(1e-14)))
  }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    let (a0, a1) = try resolvedAxes(inputShapes)
    var first = inputShapes[0]
    var second = inputShapes[1]
    first.remove(at: a0)
    second.remove(at: a1)
    second.removeFirst()
    var output = first + second
    if output.count == 1 { output.append(1) }
    return output
  }
}
