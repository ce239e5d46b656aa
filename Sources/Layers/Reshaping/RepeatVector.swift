import SwiftKerasCore

/// Repeats each sample vector `n` times along a new axis, as `keras.layers.RepeatVector`:
/// `[batch, features]` becomes `[batch, n, features]`.
///
/// ```swift
/// let y = try RepeatVector(3)(Tensor.zeros([2, 4]))   // shape [2, 3, 4]
/// ```
public final class RepeatVector: Layer {
  /// The number of repetitions.
  public let n: Int

  /// Creates the layer.
  public init(_ n: Int, name: String? = nil) {
    self.n = n
    super.init(name: name)
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
    input.expandingShape(at: 1).broadcast(toShape: [input.shape[0], n, input.shape[1]])
  }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    [inputShapes[0][0], n, inputShapes[0][1]]
  }

  public override func getConfig() -> [String: ConfigValue] {
    var config = super.getConfig()
    config["n"] = .int(n)
    return config
  }
}
