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
}
