import SwiftKerasCore

/// Turns integer indices into dense vectors by looking them up in a trainable table, as
/// `keras.layers.Embedding`.
///
/// The indices arrive as a `Float` tensor holding whole numbers in `0..<inputDim`; the
/// output has the input's shape plus a last axis of `outputDim`. The gradient of the
/// table adds each output row's gradient into the row it was read from.
///
/// ```swift
/// let embed = Embedding(inputDim: 1000, outputDim: 64)
/// let vectors = try embed(Tensor([[4, 20, 7]]))   // shape [1, 3, 64]
/// ```
public final class Embedding: Layer {
  /// The vocabulary size: indices must lie in `0..<inputDim`.
  public let inputDim: Int
  /// The length of each embedding vector.
  public let outputDim: Int
  /// How the table is initialised (uniform in [-0.05, 0.05] by default, as Keras).
  public let embeddingsInitializer: any Initializer
  /// A penalty on the table added to the loss.
  public let embeddingsRegularizer: (any Regularizer)?
  /// A penalty on the layer's output added to the loss (divided by the batch size, as
  /// Keras 3).
  public let activityRegularizer: (any Regularizer)?
  /// A projection of the table after each update.
  public let embeddingsConstraint: (any Constraint)?

  /// The `[inputDim, outputDim]` table (after build).
  public private(set) var embeddings: Variable?

  /// Creates an embedding layer with Keras's defaults.
  public init(
    inputDim: Int, outputDim: Int, embeddingsInitializer: (any Initializer)? = nil,
    embeddingsRegularizer: (any Regularizer)? = nil,
    activityRegularizer: (any Regularizer)? = nil,
    embeddingsConstraint: (any Constraint)? = nil, name: String? = nil
  ) {
    self.inputDim = inputDim
    self.outputDim = outputDim
    self.embeddingsInitializer = embeddingsInitializer ?? DefaultEmbeddingInitializer()
    self.embeddingsRegularizer = embeddingsRegularizer
    self.activityRegularizer = activityRegularizer
    self.embeddingsConstraint = embeddingsConstraint
    super.init(name: name)
  }

  public override func build(inputShape: Shape) throws {
    guard inputDim > 0, outputDim > 0 else {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(name)' (Embedding): inputDim and outputDim must be positive, got inputDim=\(inputDim), outputDim=\(outputDim)"
      )
    }
    embeddings = addWeight(
      name: "embeddings", shape: [inputDim, outputDim], initializer: embeddingsInitializer,
      regularizer: embeddingsRegularizer, constraint: embeddingsConstraint)
  }

  public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
    guard let embeddings else {
      throw SwiftKerasError(.invalidState, "layer '\(name)' (Embedding) is not built")
    }
    var indices = [Int](repeating: 0, count: input.count)
    try input.withUnsafeBufferPointer { buffer in
      for i in 0..<buffer.count {
        let value = buffer[i]
        guard value >= 0, value < Float(inputDim), value.rounded(.towardZero) == value else {
          throw SwiftKerasError(
            .invalidData,
            "layer '\(name)' (Embedding): index \(value) at position \(i) is not a whole number in 0..<\(inputDim)"
          )
        }
        indices[i] = Int(value)
      }
    }
    let output = embeddings.value.gathering(rows: indices).reshaped(to: input.shape + [outputDim])
    if let activityRegularizer {
      let scale: Float = 1 / Float(Swift.max(input.shape.first ?? 1, 1))
      callLosses.append(activityRegularizer(output) * scale)
    }
    return output
  }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    inputShapes[0] + [outputDim]
  }

  public override func getConfig() -> [String: ConfigValue] {
    var config = super.getConfig()
    config["input_dim"] = .int(inputDim)
    config["output_dim"] = .int(outputDim)
    config["embeddings_initializer"] = serialized(embeddingsInitializer)
    config["embeddings_regularizer"] = serialized(embeddingsRegularizer)
    config["activity_regularizer"] = serialized(activityRegularizer)
    config["embeddings_constraint"] = serialized(embeddingsConstraint)
    config["mask_zero"] = .bool(false)
    config["quantization_config"] = .null
    return config
  }
}

/// Keras's default embedding initializer, `RandomUniform(-0.05, 0.05)`.
// TODO(lead): replace with Core's `RandomUniform(minval: -0.05, maxval: 0.05)` once act-init lands.
private struct DefaultEmbeddingInitializer: Initializer {
  func callAsFunction(shape: [Int], generator: inout RandomGenerator) -> Tensor {
    Tensor.randomUniform(shape: shape, minval: -0.05, maxval: 0.05, generator: &generator)
  }
  var name: String { "RandomUniform" }
  func getConfig() -> ConfigValue { ["seed": nil, "minval": -0.05, "maxval": 0.05] }
}
