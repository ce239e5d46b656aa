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

/// How a ``Crossentropy`` scores samples: ``BinaryCrossentropy`` and
/// ``CategoricalCrossentropy`` take the same options, initializer and config and differ
/// only in this.
public protocol CrossentropyScoring {
  /// The Keras name a loss gets when none is given.
  static var defaultName: String { get }
  /// The loss of each sample, with `loss`'s options.
  static func perSample(yTrue: Tensor, yPred: Tensor, loss: Crossentropy<Self>) -> Tensor
}

/// A cross-entropy loss with Keras's `from_logits`, `label_smoothing` and `axis` options,
/// scored by `Scoring`; use it as ``BinaryCrossentropy`` or ``CategoricalCrossentropy``.
public struct Crossentropy<Scoring: CrossentropyScoring>: CrossentropyLoss {
  /// The Keras name.
  public var name: String
  /// How per-sample values are reduced.
  public var reduction: LossReduction
  /// Whether `yPred` holds logits rather than probabilities.
  public var fromLogits: Bool
  /// How far labels are pulled towards ½ (binary) or uniform (categorical), in `[0, 1]`.
  public var labelSmoothing: Float
  /// The axis averaged over (binary) or the class axis (categorical).
  public var axis: Int

  /// Creates the loss.
  public init(
    fromLogits: Bool = false, labelSmoothing: Float = 0, axis: Int = -1,
    reduction: LossReduction = .sumOverBatchSize, name: String = Scoring.defaultName
  ) {
    self.fromLogits = fromLogits
    self.labelSmoothing = labelSmoothing
    self.axis = axis
    self.reduction = reduction
    self.name = name
  }

  /// The cross-entropy of each sample.
  public func perSample(yTrue: Tensor, yPred: Tensor) -> Tensor {
    Scoring.perSample(yTrue: yTrue, yPred: yPred, loss: self)
  }
}
