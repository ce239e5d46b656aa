import SwiftKerasCore

/// A densely connected layer: `activation(inputs · kernel + bias)`, as `keras.layers.Dense`.
///
/// The kernel multiplies the last axis of the input, so a rank-3 input `[batch, steps,
/// features]` is transformed step by step.
///
/// ```swift
/// let layer = Dense(128, activation: .relu)
/// let y = try layer(Tensor.zeros([32, 784]))   // shape [32, 128]
/// ```
public final class Dense: Layer {
  /// The number of output units.
  public let units: Int
  /// The activation applied to the output.
  public let activation: ActivationFunction
  /// Whether a bias vector is added.
  public let useBias: Bool
  /// How the kernel is initialised (Glorot uniform by default).
  public let kernelInitializer: any Initializer
  /// How the bias is initialised (zeros by default).
  public let biasInitializer: any Initializer
  /// A penalty on the kernel added to the loss.
  public let kernelRegularizer: (any Regularizer)?
  /// A penalty on the bias added to the loss.
  public let biasRegularizer: (any Regularizer)?
  /// A penalty on the layer's output added to the loss.
  public let activityRegularizer: (any Regularizer)?
  /// A projection of the kernel after each update.
  public let kernelConstraint: (any Constraint)?
  /// A projection of the bias after each update.
  public let biasConstraint: (any Constraint)?

  /// The `[inputFeatures, units]` weight matrix (after build).
  public private(set) var kernel: Variable?
  /// The `[units]` bias (after build, when `useBias`).
  public private(set) var bias: Variable?

  /// Creates a dense layer with Keras's defaults.
  public init(
    _ units: Int, activation: ActivationFunction = .linear, useBias: Bool = true,
    kernelInitializer: any Initializer = GlorotUniform(),
    biasInitializer: any Initializer = Zeros(),
    kernelRegularizer: (any Regularizer)? = nil, biasRegularizer: (any Regularizer)? = nil,
    activityRegularizer: (any Regularizer)? = nil,
    kernelConstraint: (any Constraint)? = nil, biasConstraint: (any Constraint)? = nil,
    name: String? = nil
  ) {
    self.units = units
    self.activation = activation
    self.useBias = useBias
    self.kernelInitializer = kernelInitializer
    self.biasInitializer = biasInitializer
    self.kernelRegularizer = kernelRegularizer
    self.biasRegularizer = biasRegularizer
    self.activityRegularizer = activityRegularizer
    self.kernelConstraint = kernelConstraint
    self.biasConstraint = biasConstraint
    super.init(name: name)
  }

  public override func build(inputShape: Shape) throws {
    guard units > 0 else {
      throw SwiftKerasError(
        .invalidArgument, "layer '\(name)' (Dense): units must be positive, got \(units)")
    }
    guard inputShape.count >= 2, let features = inputShape.last ?? nil else {
      throw SwiftKerasError(
        .shapeMismatch,
        "layer '\(name)' (Dense) needs inputs of rank 2 or more with a known last axis, got \(formatShape(inputShape))"
      )
    }
    kernel = addWeight(
      name: "kernel", shape: [features, units], initializer: kernelInitializer,
      regularizer: kernelRegularizer, constraint: kernelConstraint)
    if useBias {
      bias = addWeight(
        name: "bias", shape: [units], initializer: biasInitializer,
        regularizer: biasRegularizer, constraint: biasConstraint)
    }
  }

  public override func checkInputs(_ shapes: [[Int]]) throws {
    // Dense accepts any rank ≥ 2 whose last axis matches, as Keras's input spec.
    let expected = builtInputShapes[0]
    guard shapes.count == 1, let last = shapes[0].last, shapes[0].count >= 2,
      last == expected.last ?? nil
    else {
      throw SwiftKerasError(
        .shapeMismatch,
        "layer '\(name)' (Dense) expects input shape \(formatShape(expected)), got \(shapes.map { formatShape($0.map { Optional($0) }) }.joined(separator: ", "))"
      )
    }
  }

  public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
    guard let kernel else {
      throw SwiftKerasError(.invalidState, "layer '\(name)' (Dense) is not built")
    }
    let flat = input.rank == 2 ? input : input.reshaped(to: [-1, input.shape[input.rank - 1]])
    var output: Tensor
    switch activation {
    case .relu, .linear:
      // One product onto the bias and an in-place relu: a single tape entry.
      output = Tensor.fusedDense(
        flat, kernel: kernel.value, bias: bias?.value, relu: activation == .relu)
    default:
      output = matmul(flat, kernel.value)
      if let bias { output = output + bias.value }
      output = activation(output)
    }
    if input.rank != 2 { output = output.reshaped(to: Array(input.shape.dropLast()) + [units]) }
    if let activityRegularizer {
      callLosses.append(activityRegularizer(output) / Float(max(input.shape[0], 1)))
    }
    return output
  }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    Array(inputShapes[0].dropLast()) + [units]
  }

  public override func getConfig() -> [String: ConfigValue] {
    var config = super.getConfig()
    config["units"] = .int(units)
    config["activation"] = .string(activation.name)
    config["use_bias"] = .bool(useBias)
    config["kernel_initializer"] = serialized(kernelInitializer)
    config["bias_initializer"] = serialized(biasInitializer)
    config["kernel_regularizer"] = serialized(kernelRegularizer)
    config["bias_regularizer"] = serialized(biasRegularizer)
    // As Keras 3: the activity regularizer appears only when set.
    if activityRegularizer != nil {
      config["activity_regularizer"] = serialized(activityRegularizer)
    }
    config["kernel_constraint"] = serialized(kernelConstraint)
    config["bias_constraint"] = serialized(biasConstraint)
    config["quantization_config"] = ConfigValue.null
    return config
  }
}
