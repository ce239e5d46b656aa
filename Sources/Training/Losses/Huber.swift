import SwiftKerasCore

/// The Huber loss: `½e²` where `|e| ≤ δ`, else `δ|e| − ½δ²`, with `e = yPred − yTrue`,
/// averaged over the last axis, as `keras.losses.Huber` (identifiers `"huber"`,
/// `"huber_loss"`).
public struct Huber: Loss {
  /// The Keras name.
  public var name: String
  /// How per-sample values are reduced.
  public var reduction: LossReduction
  /// Where the loss turns from quadratic to linear.
  public var delta: Float

  /// Creates the loss.
  public init(
    delta: Float = 1.0, reduction: LossReduction = .sumOverBatchSize, name: String = "huber_loss"
  ) {
    self.delta = delta
    self.reduction = reduction
    self.name = name
  }

  /// The Huber values averaged over the last axis.
  public func perSample(yTrue: Tensor, yPred: Tensor) -> Tensor {
    let delta = delta
    return LossKernels.meanOverLastAxis(yTrue, yPred) { t, p in
      let e = p - t
      let a = Swift.abs(e)
      if a <= delta { return (0.5 * e * e, e) }
      return (delta * a - 0.5 * delta * delta, e > 0 ? delta : -delta)
    }
  }

  /// Throws unless the shapes broadcast after Keras's rank alignment.
  public func validate(yTrue: Tensor, yPred: Tensor) throws {
    try LossReducer.validateBroadcastable(yTrue, yPred, loss: name)
  }

  /// `{"name", "reduction"}` (Keras does not save `delta`).
  public func getConfig() -> ConfigValue {
    .object(LossKernels.baseConfig(name: name, reduction: reduction))
  }
}
