import SwiftKerasCore

/// A cross-entropy loss with Keras's `from_logits`, `label_smoothing` and `axis` arguments,
/// which all such losses check and serialize alike.
public protocol CrossentropyLoss: Loss {
  /// Whether `yPred` holds logits rather than probabilities.
  var fromLogits: Bool { get }
  /// How far labels are smoothed, in `[0, 1]`.
  var labelSmoothing: Float { get }
  /// The axis the loss is taken along.
  var axis: Int { get }
}

extension CrossentropyLoss {
  /// Throws unless the shapes match after rank alignment, `axis` is an axis of `yPred`
  /// and `labelSmoothing` is in `[0, 1]`.
  public func validate(yTrue: Tensor, yPred: Tensor) throws {
    try LossReducer.validateSameShape(yTrue, yPred, loss: name)
    try LossReducer.validateAxis(axis, shape: yPred.shape, loss: name)
    try LossKernels.validateSmoothing(labelSmoothing, loss: name)
  }

  /// `{"name", "reduction", "from_logits", "label_smoothing", "axis"}`; focal losses add
  /// their own keys.
  public func getConfig() -> ConfigValue { .object(crossentropyConfig()) }

  /// The keys of ``getConfig()``, for a loss that adds its own.
  func crossentropyConfig() -> [String: ConfigValue] {
    var config = LossKernels.baseConfig(name: name, reduction: reduction)
    config["from_logits"] = .bool(fromLogits)
    config["label_smoothing"] = .double(Double(labelSmoothing))
    config["axis"] = .int(axis)
    return config
  }
}
