import SwiftKerasCore

/// Normalises each feature over the batch, as `keras.layers.BatchNormalization`.
///
/// In training (`training: true` on a trainable layer) the output is
/// `gamma * (x - mean) / sqrt(variance + epsilon) + beta` with the mean and (biased)
/// variance of the batch, taken over every axis but `axis`, and the moving statistics
/// are updated as `moving = moving * momentum + batch * (1 - momentum)`. At inference,
/// or when the layer is frozen, the moving statistics are used instead.
///
/// ```swift
/// let norm = BatchNormalization()
/// let y = try norm(x, training: true)
/// ```
public final class BatchNormalization: Layer {
  /// The feature axis (negative counts from the end; Keras's default -1).
  public let axis: Int
  /// The weight of the old value in the moving statistics.
  public let momentum: Float
  /// Added to the variance before the square root.
  public let epsilon: Float
  /// Whether the learned offset `beta` is added.
  public let center: Bool
  /// Whether the learned scale `gamma` multiplies.
  public let scale: Bool
  /// How `beta` is initialised.
  public let betaInitializer: any Initializer
  /// How `gamma` is initialised.
  public let gammaInitializer: any Initializer
  /// How the moving mean is initialised.
  public let movingMeanInitializer: any Initializer
  /// How the moving variance is initialised.
  public let movingVarianceInitializer: any Initializer
  /// A penalty on `beta`.
  public let betaRegularizer: (any Regularizer)?
  /// A penalty on `gamma`.
  public let gammaRegularizer: (any Regularizer)?
  /// A projection of `beta` after each update.
  public let betaConstraint: (any Constraint)?
  /// A projection of `gamma` after each update.
  public let gammaConstraint: (any Constraint)?

  /// The learned scale (after build, when `scale`).
  public private(set) var gamma: Variable?
  /// The learned offset (after build, when `center`).
  public private(set) var beta: Variable?
  /// The moving mean used at inference (non-trainable).
  public private(set) var movingMean: Variable?
  /// The moving variance used at inference (non-trainable).
  public private(set) var movingVariance: Variable?

  private var featureAxis = 0
  private var reductionAxes: [Int] = []

  /// Creates the layer with Keras's defaults.
  public init(
    axis: Int = -1, momentum: Float = 0.99, epsilon: Float = 1e-3, center: Bool = true,
    scale: Bool = true, betaInitializer: any Initializer = Zeros(),
    gammaInitializer: any Initializer = Ones(),
    movingMeanInitializer: any Initializer = Zeros(),
    movingVarianceInitializer: any Initializer = Ones(),
    betaRegularizer: (any Regularizer)? = nil, gammaRegularizer: (any Regularizer)? = nil,
    betaConstraint: (any Constraint)? = nil, gammaConstraint: (any Constraint)? = nil,
    name: String? = nil
  ) {
    self.axis = axis
    self.momentum = momentum
    self.epsilon = epsilon
    self.center = center
    self.scale = scale
    self.betaInitializer = betaInitializer
    self.gammaInitializer = gammaInitializer
    self.movingMeanInitializer = movingMeanInitializer
    self.movingVarianceInitializer = movingVarianceInitializer
    self.betaRegularizer = betaRegularizer
    self.gammaRegularizer = gammaRegularizer
    self.betaConstraint = betaConstraint
    self.gammaConstraint = gammaConstraint
    super.init(name: name)
  }

  public override func build(inputShape: Shape) throws {
    let rank = inputShape.count
    let a = axis < 0 ? axis + rank : axis
    guard rank >= 1, a >= 0, a < rank, let features = inputShape[a] else {
      throw SwiftKerasError(
        .shapeMismatch,
        "layer '\(name)' (BatchNormalization): axis \(axis) must be a known axis of the input, got shape \(formatShape(inputShape))"
      )
    }
    guard epsilon > 0 else {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(name)' (BatchNormalization): epsilon must be positive, got \(epsilon)")
    }
    featureAxis = a
    reductionAxes = (0..<rank).filter { $0 != a }
    if scale {
      gamma = addWeight(
        name: "gamma", shape: [features], initializer: gammaInitializer,
        regularizer: gammaRegularizer, constraint: gammaConstraint)
    }
    if center {
      beta = addWeight(
        name: "beta", shape: [features], initializer: betaInitializer,
        regularizer: betaRegularizer, constraint: betaConstraint)
    }
    movingMean = addWeight(
      name: "moving_mean", shape: [features], initializer: movingMeanInitializer,
      trainable: false)
    movingVariance = addWeight(
      name: "moving_variance", shape: [features], initializer: movingVarianceInitializer,
      trainable: false)
  }

  public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
    guard let movingMean, let movingVariance else {
      throw SwiftKerasError(.invalidState, "layer '\(name)' (BatchNormalization) is not built")
    }
    // Per-feature vectors are reshaped to broadcast along the feature axis.
    var broadcastShape = [Int](repeating: 1, count: input.rank)
    broadcastShape[featureAxis] = input.shape[featureAxis]
    let mean: Tensor
    let variance: Tensor
    if training && trainable {
      mean = input.mean(alongAxes: reductionAxes, keepDims: true)
      variance = square(input - mean).mean(alongAxes: reductionAxes, keepDims: true)
      let batchMean = mean.detached.reshaped(to: movingMean.shape)
      let batchVariance = variance.detached.reshaped(to: movingVariance.shape)
      movingMean.value =
        movingMean.untrackedValue * momentum + batchMean * (1 - momentum)
      movingVariance.value =
        movingVariance.untrackedValue * momentum + batchVariance * (1 - momentum)
    } else {
      mean = movingMean.value.reshaped(to: broadcastShape)
      variance = movingVariance.value.reshaped(to: broadcastShape)
    }
    var output = (input - mean) / sqrt(variance + epsilon)
    if let gamma { output = output * gamma.value.reshaped(to: broadcastShape) }
    if let beta { output = output + beta.value.reshaped(to: broadcastShape) }
    return output
  }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    inputShapes[0]
  }

  public override func getConfig() -> [String: ConfigValue] {
    var config = super.getConfig()
    config["axis"] = .int(axis)
    config["momentum"] = .double(Double(momentum))
    config["epsilon"] = .double(Double(epsilon))
    config["center"] = .bool(center)
    config["scale"] = .bool(scale)
    config["beta_initializer"] = serialized(betaInitializer)
    config["gamma_initializer"] = serialized(gammaInitializer)
    config["moving_mean_initializer"] = serialized(movingMeanInitializer)
    config["moving_variance_initializer"] = serialized(movingVarianceInitializer)
    config["beta_regularizer"] = serialized(betaRegularizer)
    config["gamma_regularizer"] = serialized(gammaRegularizer)
    config["beta_constraint"] = serialized(betaConstraint)
    config["gamma_constraint"] = serialized(gammaConstraint)
    config["synchronized"] = .bool(false)
    config["renorm"] = .bool(false)
    config["renorm_clipping"] = .null
    config["renorm_momentum"] = .double(0.99)
    return config
  }
}
