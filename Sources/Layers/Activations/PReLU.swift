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
public final class PReLU: Layer, ConfigInitializable {
  /// Masks pass through unchanged, as Keras's `supports_masking`.
  public override var supportsMasking: Bool { true }

  /// How `alpha` is initialised (zeros by default).
  @Config("alpha") public var alphaOptions = WeightOptions(initializer: Zeros())
  /// Axes (1-based, after the batch axis) along which one slope is shared, as Keras's
  /// `shared_axes`.
  @Config public var sharedAxes: [Int]? = nil

  public private(set) var alpha: Variable?

  /// Creates the layer with Keras's defaults.
  public convenience init(
    alphaInitializer: any Initializer = Zeros(), alphaRegularizer: (any Regularizer)? = nil,
    alphaConstraint: (any Constraint)? = nil, sharedAxes: [Int]? = nil, name: String? = nil
  ) {
    self.init(name: name)
    alphaOptions = WeightOptions(alphaInitializer, alphaRegularizer, alphaConstraint)
    self.sharedAxes = sharedAxes
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
    alpha = addWeight(name: "alpha", shape: known, options: alphaOptions)
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
}
