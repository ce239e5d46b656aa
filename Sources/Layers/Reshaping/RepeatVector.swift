import SwiftKerasCore

/// Repeats each sample vector `n` times along a new axis, as `keras.layers.RepeatVector`:
/// `[batch, features]` becomes `[batch, n, features]`.
///
/// ```swift
/// let y = try RepeatVector(3)(Tensor.zeros([2, 4]))   // shape [2, 3, 4]
/// ```
public final class RepeatVector: Layer, ConfigInitializable {
  /// The number of repetitions.
  @Config(required: true) public var n: Int = 0

  /// Creates the layer.
  public convenience init(_ n: Int, name: String? = nil) {
    self.init(name: name)
    self.n = n
  }

  public override func build(inputShape: Shape) throws {
    guard n > 0 else {
      throw SwiftKerasError(
        .invalidArgument, "layer '\(name)' (RepeatVector): n must be positive, got \(n)")
    }
    guard inputShape.count == 2 else {
      throw SwiftKerasError(
        .shapeMismatch,
        "layer '\(name)' (RepeatVector) needs inputs of rank 2, got \(formatShape(inputShape))")
    }
  }

  public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
    _ = try RuntimeOptions.checkTensorSize(
      [input.shape[0], n, input.shape[1]], of: "layer '\(name)' (RepeatVector) output")
    return input.expandingShape(at: 1).broadcast(toShape: [input.shape[0], n, input.shape[1]])
  }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    [inputShapes[0][0], n, inputShapes[0][1]]
  }
}
