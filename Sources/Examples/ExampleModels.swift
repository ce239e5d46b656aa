import SwiftKeras

/// The networks `swiftkeras-demo` trains and `swiftkeras-bench` times, spelled once so the
/// two executables run the same models.
public enum ExampleModels {
  /// The seed MLP of the Keras tutorial for 28×28 grey images flattened to 784 values:
  /// Dense(128, relu) → Dropout(0.2) → Dense(10, softmax), 101,770 parameters.
  public static func seedMLP() throws -> Sequential {
    try Sequential([
      Input(shape: [784]),
      Dense(128, activation: .relu),
      Dropout(0.2),
      Dense(10, activation: .softmax),
    ])
  }

  /// The demo CNN for `[batch, 28, 28, 1]` images (Fashion-MNIST), as the Keras tutorial
  /// model: two 3×3 ReLU convolutions (32 and 64 filters) each followed by 2×2 max pooling,
  /// then a 128-unit ReLU layer and a 10-way softmax — 225,034 parameters, as Keras counts.
  public static func fashionCNN() throws -> Sequential {
    try Sequential([
      Input(shape: [28, 28, 1]),
      Conv2D(32, kernelSize: 3, activation: .relu),
      MaxPooling2D(2),
      Conv2D(64, kernelSize: 3, activation: .relu),
      MaxPooling2D(2),
      Flatten(),
      Dense(128, activation: .relu),
      Dense(10, activation: .softmax),
    ])
  }

  /// An LSTM reading each 28×28 grey image row by row, as 28 time steps of 28 pixels:
  /// LSTM(128) → Dense(10, softmax), 81,674 parameters, as Keras counts.
  public static func rowLSTM() throws -> Sequential {
    try Sequential([
      Input(shape: [28, 28]),
      LSTM(128),
      Dense(10, activation: .softmax),
    ])
  }

  /// One Transformer encoder block over `[batch, sequenceLength, width]` as PyTorch's
  /// `nn.TransformerEncoderLayer` (post-norm, ReLU, dropout 0.1, layer-norm epsilon 1e-5):
  /// self-attention with `heads` heads of `width / heads`, then a `hidden`-unit ReLU
  /// feed-forward network, each added back to its input and layer-normalized.
  public static func transformerEncoderBlock(
    sequenceLength: Int, width: Int, heads: Int, hidden: Int
  ) throws -> Model {
    guard heads > 0, width % heads == 0 else {
      throw SwiftKerasError(
        .invalidArgument,
        "transformerEncoderBlock: width \(width) must split evenly into \(heads) heads")
    }
    let x = Input(shape: [sequenceLength, width])
    let attended = try MultiHeadAttention(numHeads: heads, keyDim: width / heads)(
      query: x, value: x)
    let first = try LayerNormalization(epsilon: 1e-5)(
      try Add()([x, try Dropout(0.1)(attended)]))
    let feedForward = try Dense(width)(
      try Dropout(0.1)(try Dense(hidden, activation: .relu)(first)))
    let output = try LayerNormalization(epsilon: 1e-5)(
      try Add()([first, try Dropout(0.1)(feedForward)]))
    return try Model(inputs: x, outputs: output, name: "transformer_encoder_block")
  }
}
