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
public final class Embedding: Layer, ConfigInitializable {
  /// The vocabulary size: indices must lie in `0..<inputDim`.
  @Config(required: true) public var inputDim = 0
  /// The length of each vector.
  @Config(required: true) public var outputDim = 0
  /// The table's initializer (uniform in ±0.05 by default), regularizer and constraint.
  @Config("embeddings") public var embeddingsOptions = WeightOptions(initializer: RandomUniform())
  /// Whether index 0 is padding (Keras's `mask_zero`): the output then carries a mask, 0
  /// where the index is 0, which recurrent layers, `GlobalAveragePooling1D`, losses and
  /// metrics use to skip those steps.
  @Config public var maskZero = false
  /// Keras 3's quantization settings; always null here.
  @Config public var quantizationConfig = ConfigValue.null

  public private(set) var embeddings: Variable?

  /// Creates an embedding layer with Keras's defaults.
  public convenience init(
    inputDim: Int, outputDim: Int, embeddingsInitializer: (any Initializer)? = nil,
    embeddingsRegularizer: (any Regularizer)? = nil,
    activityRegularizer: (any Regularizer)? = nil,
    embeddingsConstraint: (any Constraint)? = nil, maskZero: Bool = false,
    inputShape: [Int?]? = nil, name: String? = nil
  ) {
    self.init(name: name)
    requestedInputShape = inputShape
    self.inputDim = inputDim
    self.outputDim = outputDim
    embeddingsOptions = WeightOptions(
      initializer: embeddingsInitializer ?? RandomUniform(), regularizer: embeddingsRegularizer,
      constraint: embeddingsConstraint)
    self.activityRegularizer = activityRegularizer
    self.maskZero = maskZero
  }

  public override class var configListsActivityRegularizer: Bool { true }

  public override func build(inputShape: Shape) throws {
    guard inputDim > 0, outputDim > 0 else {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(name)' (Embedding): inputDim and outputDim must be positive, got inputDim=\(inputDim), outputDim=\(outputDim)"
      )
    }
    embeddings = addWeight(
      name: "embeddings", shape: [inputDim, outputDim], options: embeddingsOptions)
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
    return embeddings.value.gathering(rows: indices).reshaped(to: input.shape + [outputDim])
  }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    inputShapes[0] + [outputDim]
  }

  public override func computeMask(_ inputs: [Tensor], mask: Tensor?) throws -> Tensor? {
    maskZero ? inputs[0].detached.mapped { $0 != 0 ? 1 : 0 } : nil
  }
}

/// Keras's default embedding initializer, `RandomUniform(-0.05, 0.05)`.
