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
public final class Dense: Layer, ConfigInitializable {
  /// Masks pass through unchanged, as Keras's `supports_masking`.
  public override var supportsMasking: Bool { true }

  /// The number of output units.
  @Config(required: true) public var units = 0
  /// The activation applied to the output.
  @Config public var activation = ActivationFunction.linear
  /// Whether a bias vector is added.
  @Config public var useBias = true
  /// The kernel's initializer (Glorot uniform by default), regularizer and constraint.
  @Config("kernel") public var kernelOptions = WeightOptions(initializer: GlorotUniform())
  /// The bias's initializer (zeros by default), regularizer and constraint.
  @Config("bias") public var biasOptions = WeightOptions(initializer: Zeros())
  /// Keras 3's quantization settings; always null here.
  @Config public var quantizationConfig = ConfigValue.null

  /// The `[inputFeatures, units]` weight matrix (after build).
  public private(set) var kernel: Variable?
  /// The `[units]` bias (after build, when `useBias`).
  public private(set) var bias: Variable?

  /// Creates a dense layer with Keras's defaults.
  public convenience init(
    _ units: Int, activation: ActivationFunction = .linear, useBias: Bool = true,
    kernelInitializer: any Initializer = GlorotUniform(),
    biasInitializer: any Initializer = Zeros(),
    kernelRegularizer: (any Regularizer)? = nil, biasRegularizer: (any Regularizer)? = nil,
    activityRegularizer: (any Regularizer)? = nil,
    kernelConstraint: (any Constraint)? = nil, biasConstraint: (any Constraint)? = nil,
    inputShape: [Int?]? = nil, name: String? = nil
  ) {
    self.init(name: name)
    self.units = units
    self.activation = activation
    self.useBias = useBias
    kernelOptions = WeightOptions(kernelInitializer, kernelRegularizer, kernelConstraint)
    biasOptions = WeightOptions(biasInitializer, biasRegularizer, biasConstraint)
    self.activityRegularizer = activityRegularizer
    requestedInputShape = inputShape
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
    kernel = addWeight(name: "kernel", shape: [features, units], options: kernelOptions)
    if useBias { bias = addWeight(name: "bias", shape: [units], options: biasOptions) }
  }

  public override func checkInputs(_ shapes: [[Int]]) throws {
    // Dense accepts any rank ≥ 2 whose last axis matches, as Keras's input spec.
    try checkSingleInput(shapes) { $0 >= 2 }
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
    return output
  }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    Array(inputShapes[0].dropLast()) + [units]
  }
}
