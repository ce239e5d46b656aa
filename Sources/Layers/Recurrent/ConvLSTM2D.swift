import SwiftKerasCore

/// A 2-D convolutional LSTM, as `keras.layers.ConvLSTM2D`: `[batch, steps, height, width,
/// channels]` inputs, convolutions over height and width (see ``BaseConvLSTM`` and
/// ``ConvLSTMCell``).
///
/// ```swift
/// let layer = ConvLSTM2D(16, kernelSize: (3, 3), padding: "same")
/// let y = try layer(Tensor.zeros([2, 5, 32, 32, 3]))   // [2, 32, 32, 16]
/// ```
public final class ConvLSTM2D: BaseConvLSTM, ConfigInitializable {
  public override class var rank: Int { 2 }
}
