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
public final class BatchNormalization: BaseNormalization, ConfigInitializable {
  /// Masks pass through unchanged, as Keras's `supports_masking`.
  public override var supportsMasking: Bool { true }

  /// The feature axis (negative counts from the end; Keras's default -1).
  @Config public var axis: Int = -1
  /// The weight of the old value in the moving statistics.
  @Config public var momentum: Float = 0.99
  /// How the moving mean is initialised.
  @Config("moving_mean") public var movingMeanOptions = WeightOptions.initializerOnly(Zeros())
  /// How the moving variance is initialised.
  @Config("moving_variance") public var movingVarianceOptions = WeightOptions.initializerOnly(
    Ones())

  /// Whether training statistics are taken over the global batch of data-parallel
  /// training (summed across ranks) rather than over each rank's rows, Keras 3's
  /// `synchronized`. Without data-parallel training it changes nothing.
  @Config public var synchronized = false
  /// Keras 3's batch renormalization; not implemented, always false.
  @Config public var renorm = false
  /// Keras 3's renormalization clipping; always null.
  @Config public var renormClipping = ConfigValue.null
  /// Keras 3's renormalization momentum, written with Keras's default.
  @Config public var renormMomentum: Float = 0.99

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
  public convenience init(
    axis: Int = -1, momentum: Float = 0.99, epsilon: Float = 1e-3, center: Bool = true,
    scale: Bool = true, betaInitializer: any Initializer = Zeros(),
    gammaInitializer: any Initializer = Ones(),
    movingMeanInitializer: any Initializer = Zeros(),
    movingVarianceInitializer: any Initializer = Ones(),
    betaRegularizer: (any Regularizer)? = nil, gammaRegularizer: (any Regularizer)? = nil,
    betaConstraint: (any Constraint)? = nil, gammaConstraint: (any Constraint)? = nil,
    synchronized: Bool = false, name: String? = nil
  ) {
    self.init(name: name)
    self.synchronized = synchronized
    setNormalizationArguments(
      epsilon: epsilon, center: center, scale: scale,
      beta: WeightOptions(betaInitializer, betaRegularizer, betaConstraint),
      gamma: WeightOptions(gammaInitializer, gammaRegularizer, gammaConstraint))
    self.axis = axis
    self.momentum = momentum
    movingMeanOptions = .initializerOnly(movingMeanInitializer)
    movingVarianceOptions = .initializerOnly(movingVarianceInitializer)
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
        name: "gamma", shape: [features], options: gammaOptions)
    }
    if center {
      beta = addWeight(
        name: "beta", shape: [features], options: betaOptions)
    }
    movingMean = addWeight(
      name: "moving_mean", shape: [features], options: movingMeanOptions,
      trainable: false)
    movingVariance = addWeight(
      name: "moving_variance", shape: [features], options: movingVarianceOptions,
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
      if synchronized, CrossReplicaContext.current.value != nil {
        // Sums over every rank's rows, divided by the global count.
        let rows = Float(input.count / max(input.shape[featureAxis], 1))
        let count = crossReplicaSum(Tensor(rows)).scalar
        guard count > 0 else {
          throw SwiftKerasError(
            .invalidArgument, "layer '\(name)' (BatchNormalization): empty batch")
        }
        mean = crossReplicaSum(input.sum(alongAxes: reductionAxes, keepDims: true)) / count
        variance =
          crossReplicaSum(square(input - mean).sum(alongAxes: reductionAxes, keepDims: true))
          / count
      } else {
        mean = input.mean(alongAxes: reductionAxes, keepDims: true)
        variance = square(input - mean).mean(alongAxes: reductionAxes, keepDims: true)
      }
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
}
