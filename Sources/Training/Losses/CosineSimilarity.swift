import SwiftKerasCore

/// The negative cosine similarity `−Σ normalize(yTrue) · normalize(yPred)` along `axis`,
/// where `normalize(x) = x · min(1/‖x‖, 1/ε)`, as `keras.losses.CosineSimilarity`
/// (identifier `"cosine_similarity"`).
public struct CosineSimilarity: Loss {
  /// The Keras name.
  public var name: String
  /// How per-sample values are reduced.
  public var reduction: LossReduction
  /// The axis along which the similarity is computed.
  public var axis: Int

  /// Creates the loss.
  public init(
    axis: Int = -1, reduction: LossReduction = .sumOverBatchSize,
    name: String = "cosine_similarity"
  ) {
    self.axis = axis
    self.reduction = reduction
    self.name = name
  }

  /// The negative cosine similarity of each sample.
  public func perSample(yTrue: Tensor, yPred: Tensor) -> Tensor {
    let (t, p) = LossReducer.aligned(yTrue.detached, yPred)
    return -(CosineSimilarity.normalize(t, axis: axis) * CosineSimilarity.normalize(p, axis: axis))
      .sum(alongAxis: axis)
  }

  /// Keras's L2 `normalize`: `x · min(rsqrt(Σ x²), 1/ε)`.
  static func normalize(_ x: Tensor, axis: Int) -> Tensor {
    let squares = square(x).sum(alongAxis: axis, keepDims: true)
    let cap: Float = 1 / LossKernels.epsilon
    return x * minimum(pow(squares, Float(-0.5)), cap)
  }

  /// Throws unless the shapes broadcast after rank alignment and `axis` is valid.
  public func validate(yTrue: Tensor, yPred: Tensor) throws {
    try LossReducer.validateBroadcastable(yTrue, yPred, loss: name)
    try LossReducer.validateAxis(axis, shape: yPred.shape, loss: name)
  }

  /// `{"name", "reduction"}` (Keras does not save `axis`).
  public func getConfig() -> ConfigValue {
    .object(LossKernels.baseConfig(name: name, reduction: reduction))
  }
}
