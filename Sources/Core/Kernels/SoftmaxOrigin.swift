/// The logits behind a softmax output, carried by the output tensor itself as TensorFlow
/// carries `_keras_logits`: a cross-entropy on those probabilities is then computed from
/// the logits, as Keras does — more accurate (no clipping at 1e-7) and one fused
/// softmax-minus-one-hot gradient instead of a softmax backward.
package final class SoftmaxOrigin {
  /// The softmax's input.
  let logits: Tensor
  /// The output's tape position, so a copy recorded again (or reshaped) is not mistaken
  /// for the softmax output itself.
  let trace: TapeTrace

  init(logits: Tensor, trace: TapeTrace) {
    self.logits = logits
    self.trace = trace
  }
}

extension Tensor {
  /// The logits whose softmax over the last axis this tensor is, when it is that softmax's
  /// output unchanged.
  package var softmaxLogits: Tensor? {
    guard let origin = softmaxOrigin, origin.trace.tapeID == trace.tapeID,
      origin.trace.index == trace.index, origin.logits.shape == shape
    else { return nil }
    return origin.logits
  }
}
