import SwiftKerasCore

/// Reorders the axes of each sample, as `keras.layers.Permute`. `dims` numbers the
/// sample axes from 1 (the batch axis is 0 and stays first): `Permute([2, 1])` swaps the
/// two axes of `[batch, a, b]`.
///
/// ```swift
/// let y = try Permute([2, 1])(Tensor.zeros([3, 2, 4]))   // shape [3, 4, 2]
/// ```
public final class Permute: Layer, ConfigInitializable {
  /// The permutation of the sample axes, 1-based.
  @Config(required: true) public var dims: [Int] = []

  /// Creates the layer.
  public convenience init(_ dims: [Int], name: String? = nil) {
    self.init(name: name)
    self.dims = dims
  }

  public override func build(inputShape: Shape) throws {
    guard dims.sorted() == (0..<dims.count).map({ $0 + 1 }) else {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(name)' (Permute): dims \(dims) must be a permutation of 1...\(dims.count)")
    }
    guard dims.count == inputShape.count - 1 else {
      throw SwiftKerasError(
        .shapeMismatch,
        "layer '\(name)' (Permute): dims \(dims) permute \(dims.count) axes but input shape \(formatShape(inputShape)) has \(inputShape.count - 1) sample axes"
      )
    }
  }

  public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
    input.transposed(permutation: [0] + dims)
  }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    let shape = inputShapes[0]
    return [shape.first ?? nil] + dims.map { shape[$0] }
  }
}
