import SwiftKerasCore

/// The mean over the steps of a sequence, as `keras.layers.GlobalAveragePooling1D`:
/// `[batch, steps, features]` becomes `[batch, features]` (or `[batch, 1, features]`
/// with `keepdims`).
///
/// ```swift
/// let y = try GlobalAveragePooling1D()(Tensor.zeros([2, 10, 8]))   // shape [2, 8]
/// ```
///
/// With a mask (from `Embedding(maskZero: true)` or `Masking`), the mean is over the
/// unmasked steps only, as Keras's; the output has no mask.
public final class GlobalAveragePooling1D: BaseGlobalPooling, ConfigInitializable {
  public override class var rank: Int { 1 }
  override class var takesMaximum: Bool { false }

  public override var supportsMasking: Bool { true }

  public override func computeMask(_ inputs: [Tensor], mask: Tensor?) throws -> Tensor? { nil }

  public override func callOutputs(_ inputs: [Tensor], mask: Tensor?, training: Bool) throws
    -> [Tensor]
  {
    guard let mask else { return try callOutputs(inputs, training: training) }
    try prepareCall(inputs.map { $0.shape })
    let input = inputs[0]
    let channelsFirst = dataFormat == "channels_first"
    let steps = channelsFirst ? 2 : 1
    guard input.rank == 3, mask.shape == [input.shape[0], input.shape[steps]] else {
      throw SwiftKerasError(
        .shapeMismatch,
        "layer '\(name)' (GlobalAveragePooling1D): a mask of shape [batch, steps] = [\(input.shape.first ?? 0), \(input.rank > steps ? input.shape[steps] : 0)] was expected, got \(mask.shape)"
      )
    }
    let weights = mask.detached.expandingShape(at: channelsFirst ? 1 : 2)
    let pooled =
      (input * weights).sum(alongAxis: steps, keepDims: keepdims)
      / weights.sum(alongAxis: steps, keepDims: keepdims)
    return [finishCall(pooled)]
  }
}
