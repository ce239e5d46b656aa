import SwiftKerasCore

/// A 1-D convolutional LSTM, as `keras.layers.ConvLSTM1D`: `[batch, steps, length,
/// channels]` inputs, convolutions over the length axis (see ``BaseConvLSTM`` and
/// ``ConvLSTMCell``).
///
/// ```swift
/// let layer = ConvLSTM1D(8, kernelSize: 3, padding: "same", returnSequences: true)
/// let y = try layer(Tensor.zeros([4, 10, 16, 2]))   // [4, 10, 16, 8]
/// ```
public final class ConvLSTM1D: BaseConvLSTM, ConfigInitializable {
  public override class var rank: Int { 1 }
}
