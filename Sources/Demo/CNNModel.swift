import SwiftKeras

/// The demo CNN for 28×28 grey images (Fashion-MNIST), as the Keras tutorial model:
/// two 3×3 ReLU convolutions (32 and 64 filters) each followed by 2×2 max pooling, then
/// a 128-unit ReLU layer and a 10-way softmax — 225,034 parameters, as Keras counts.
///
/// Inputs are `[batch, 28, 28, 1]`.
func makeCNN() throws -> Sequential {
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
