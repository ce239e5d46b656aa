import SwiftKerasCore

/// The parametric rectified linear unit `x` for `x >= 0`, `alpha * x` otherwise, with a
/// learned `alpha` per input element, as `keras.layers.PReLU`.
///
/// `alpha` has the shape of one sample (the input shape without the batch axis), with
/// extent 1 along each of `sharedAxes` so those axes share one slope (e.g. the spatial
/// axes of an image).
///
/// ```swift
/// let layer = PReLU(sharedAxes: [1, 2])   // one slope per channel of [batch, h, w, c]
/// ```
public final class PReLU: Layer {
  /// How `alpha` is initialised (zeros by default).
  public let alphaInitializer: any Initializer
  /// A penalty on `alpha` added to the loss.
  public let alphaRegularizer: (any Regularizer)?
  /// A projection of `alpha` after each update.
  public let alphaConstraint: (any Constraint)?
  /// The 1-based axes along which one slope is shared, or nil.
  public let sharedAxes: [Int]?

  /// The learned slopes (after build).
  public private(set) var alpha: Variable?

  /// Creates the layer with Keras's defaults.
  public init(
    alphaInitializer: any Initializer = Zeros(), alphaRegularizer: (any Regularizer)? = nil,
    alphaConstraint: (any Constraint)? = nil, sharedAxes: [Int]? = nil, name: String? = nil
  ) {
    self.alphaInitializer = alphaInitializer
    self.alphaRegularizer = alphaRegularizer
    self.alphaConstraint = alphaConstraint
    self.sharedAxes = sharedAxes
    super.init(name: name)
  }

  public override func build(inputShape: Shape) throws {
    var paramShape = Array(inputShape.dropFirst())
    for axis in sharedAxes ?? [] {
      guard axis >= 1, axis <= paramShape.count else {
        throw SwiftKerasError(
          .invalidArgument,
          "layer '\(name)' (PReLU): shared axis \(axis) is out of range 1...\(paramShape.count) for input shape \(formatShape(inputShape))"
        )
      }
      paramShape[axis - 1] = 1
    }
    let known = paramShape.compactMap { $0 }
    guard known.count == paramShape.count else {
      throw SwiftKerasError(
        .shapeMismatch,
        "layer '\(name)' (PReLU) needs every non-shared axis known, got input shape \(formatShape(inputShape))"
      )
    }
    alpha = addWeight(
      name: "alpha", shape: known, initializer: alphaInitializer, regularizer: alphaRegularizer,
      constraint: alphaConstraint)
  }

  public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
    guard let alpha else {
      throw SwiftKerasError(.invalidState, "layer '\(name)' (PReLU) is not built")
    }
    return maximum(input, Float(0)) - alpha.value * maximum(-input, Float(0))
  }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    inputShapes[0]
  }

  public override func getConfig() -> [String: ConfigValue] {
    var config = super.getConfig()
    config["alpha_initializer"] = serialized(alphaInitializer)
    config["alpha_regularizer"] = serialized(alphaRegularizer)
    config["alpha_constraint"] = serialized(alphaConstraint)
    config["shared_axes"] = sharedAxes.map { .array($0.map { .int($0) }) } ?? .null
    return config
  }
}
