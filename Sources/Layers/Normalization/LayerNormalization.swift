import SwiftKerasCore

/// Normalises each sample over its feature axes, as `keras.layers.LayerNormalization`:
/// `gamma * (x - mean) / sqrt(variance + epsilon) + beta`, with the mean and (biased)
/// variance taken over `axis` for every sample separately. Training and inference behave
/// the same.
///
/// With `rmsScaling` the mean is not subtracted and there is no `beta`:
/// `gamma * x / sqrt(mean(x²) + epsilon)`.
///
/// ```swift
/// let y = try LayerNormalization()(Tensor.zeros([2, 5, 8]))   // over the last axis
/// ```
public final class LayerNormalization: BaseNormalization, ConfigInitializable {
  /// Masks pass through unchanged, as Keras's `supports_masking`.
  public override var supportsMasking: Bool { true }

  /// The axes normalised over (negative counts from the end; Keras's default [-1]).
  @Config public var axis = [-1]
  /// Whether to use root-mean-square scaling instead of centring and scaling.
  @Config public var rmsScaling = false

  /// The learned scale (after build, when `scale` or `rmsScaling`).
  public private(set) var gamma: Variable?
  /// The learned offset (after build, when `center` and not `rmsScaling`).
  public private(set) var beta: Variable?

  private var normalizedAxes: [Int] = []

  /// Creates the layer normalising over one axis, with Keras's defaults.
  public convenience init(
    axis: Int = -1, epsilon: Float = 1e-3, center: Bool = true, scale: Bool = true,
    rmsScaling: Bool = false, betaInitializer: any Initializer = Zeros(),
    gammaInitializer: any Initializer = Ones(), betaRegularizer: (any Regularizer)? = nil,
    gammaRegularizer: (any Regularizer)? = nil, betaConstraint: (any Constraint)? = nil,
    gammaConstraint: (any Constraint)? = nil, name: String? = nil
  ) {
    self.init(
      axes: [axis], epsilon: epsilon, center: center, scale: scale, rmsScaling: rmsScaling,
      betaInitializer: betaInitializer, gammaInitializer: gammaInitializer,
      betaRegularizer: betaRegularizer, gammaRegularizer: gammaRegularizer,
      betaConstraint: betaConstraint, gammaConstraint: gammaConstraint, name: name)
  }

  /// Creates the layer normalising over several axes.
  public convenience init(
    axes: [Int], epsilon: Float = 1e-3, center: Bool = true, scale: Bool = true,
    rmsScaling: Bool = false, betaInitializer: any Initializer = Zeros(),
    gammaInitializer: any Initializer = Ones(), betaRegularizer: (any Regularizer)? = nil,
    gammaRegularizer: (any Regularizer)? = nil, betaConstraint: (any Constraint)? = nil,
    gammaConstraint: (any Constraint)? = nil, name: String? = nil
  ) {
    self.init(name: name)
    self.axis = axes
    self.rmsScaling = rmsScaling
    setNormalizationArguments(
      epsilon: epsilon, center: center, scale: scale,
      beta: WeightOptions(betaInitializer, betaRegularizer, betaConstraint),
      gamma: WeightOptions(gammaInitializer, gammaRegularizer, gammaConstraint))
  }

  public override func build(inputShape: Shape) throws {
    let rank = inputShape.count
    let resolved = axis.map { $0 < 0 ? $0 + rank : $0 }.sorted()
    let valid =
      !resolved.isEmpty && Set(resolved).count == resolved.count
      && resolved.allSatisfy { $0 >= 1 && $0 < rank && inputShape[$0] != nil }
    guard valid else {
      throw SwiftKerasError(
        .shapeMismatch,
        "layer '\(name)' (LayerNormalization): axis \(axis) must name distinct known non-batch axes of the input, got shape \(formatShape(inputShape))"
      )
    }
    normalizedAxes = resolved
    let shape = resolved.compactMap { inputShape[$0] }
    if scale || rmsScaling {
      gamma = addWeight(
        name: "gamma", shape: shape, options: gammaOptions)
    }
    if center && !rmsScaling {
      beta = addWeight(
        name: "beta", shape: shape, options: betaOptions)
    }
  }

  public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
    var broadcastShape = [Int](repeating: 1, count: input.rank)
    for a in normalizedAxes { broadcastShape[a] = input.shape[a] }
    var output: Tensor
    if rmsScaling {
      let meanSquare = square(input).mean(alongAxes: normalizedAxes, keepDims: true)
      output = input / sqrt(meanSquare + epsilon)
    } else {
      let mean = input.mean(alongAxes: normalizedAxes, keepDims: true)
      let centered = input - mean
      let variance = square(centered).mean(alongAxes: normalizedAxes, keepDims: true)
      output = centered / sqrt(variance + epsilon)
    }
    if let gamma { output = output * gamma.value.reshaped(to: broadcastShape) }
    if let beta { output = output + beta.value.reshaped(to: broadcastShape) }
    return output
  }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    inputShapes[0]
  }
}
