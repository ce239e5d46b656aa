import SwiftKerasCore

/// Cross-entropy for integer class labels, as `keras.losses.SparseCategoricalCrossentropy`
/// (identifier `"sparse_categorical_crossentropy"`).
///
/// Labels are a float tensor of class indices with `yPred`'s shape minus the class axis
/// (a trailing axis of 1 is allowed: `[N]` or `[N, 1]` for `yPred` of `[N, C]`). The loss
/// runs as one fused kernel: the forward pass computes `−log p[label]` per row (with
/// Keras's clipping to `[1e-7, 1 − 1e-7]` and renormalisation for probabilities, a stable
/// log-softmax for logits) and records one tape entry whose backward writes the gradient
/// directly (`softmax − onehot` for logits). Labels equal to `ignoreClass` contribute
/// nothing and are left out of the `sum_over_batch_size` count, as in Keras.
public struct SparseCategoricalCrossentropy: Loss {
  /// The Keras name.
  public var name: String
  /// How per-sample values are reduced.
  public var reduction: LossReduction
  /// Whether `yPred` holds logits rather than probabilities.
  public var fromLogits: Bool
  /// A label value whose samples are ignored (masked out of the loss).
  public var ignoreClass: Int?

  /// Creates the loss.
  public init(
    fromLogits: Bool = false, ignoreClass: Int? = nil,
    reduction: LossReduction = .sumOverBatchSize,
    name: String = "sparse_categorical_crossentropy"
  ) {
    self.fromLogits = fromLogits
    self.ignoreClass = ignoreClass
    self.reduction = reduction
    self.name = name
  }

  /// The labels reshaped to `yPred`'s shape without its class axis.
  private func labels(_ yTrue: Tensor, _ yPred: Tensor) -> (Tensor, Tensor) {
    let (t, p) = LossReducer.aligned(yTrue.detached, yPred)
    if t.rank == p.rank && t.shape.last == 1 {
      return (t.reshaped(to: Array(t.shape.dropLast())), p)
    }
    return (t, p)
  }

  /// `−log p[label]` for each sample.
  public func perSample(yTrue: Tensor, yPred: Tensor) -> Tensor {
    perSampleMasked(yTrue: yTrue, yPred: yPred).values
  }

  /// The per-sample values and, with `ignoreClass`, the mask of kept samples.
  public func perSampleMasked(yTrue: Tensor, yPred: Tensor) -> (values: Tensor, mask: Tensor?) {
    // A softmax output is scored from its logits, as Keras does on TensorFlow.
    let logits = fromLogits ? nil : yPred.softmaxLogits
    let (t, p) = labels(yTrue, logits ?? yPred)
    let values = LossKernels.sparseCrossentropy(
      labels: t, yPred: p, fromLogits: fromLogits || logits != nil, ignoreClass: ignoreClass)
    guard let ignoreClass else { return (values, nil) }
    let ignored = Float(ignoreClass)
    return (values, t.mapped { $0 == ignored ? 0 : 1 })
  }

  /// Throws when the label shape does not fit `yPred` (naming both shapes) or a label is
  /// not an integer in `[0, classes)` (naming the label and its position).
  public func validate(yTrue: Tensor, yPred: Tensor) throws {
    guard yPred.rank >= 1 else {
      throw SwiftKerasError(
        .shapeMismatch, "\(name): y_pred must have a class axis, got shape \(yPred.shape)")
    }
    let (t, p) = LossReducer.alignedShapes(yTrue.shape, yPred.shape)
    let labelShape = t.count == p.count && t.last == 1 ? Array(t.dropLast()) : t
    guard labelShape == Array(p.dropLast()) else {
      throw SwiftKerasError(
        .shapeMismatch,
        "\(name): y_true of shape \(yTrue.shape) does not fit y_pred of shape \(yPred.shape); expected labels of shape \(Array(yPred.shape.dropLast())) or \(Array(yPred.shape.dropLast()) + [1])"
      )
    }
    try SparseCategoricalCrossentropy.validateLabels(
      yTrue, classes: yPred.shape[yPred.rank - 1], ignoreClass: ignoreClass, context: name)
  }

  /// Throws `SwiftKerasError.invalidData` naming the first label that is not an integer in
  /// `[0, classes)` (labels equal to `ignoreClass` are allowed).
  public static func validateLabels(
    _ labels: Tensor, classes: Int, ignoreClass: Int? = nil, context: String = "labels"
  ) throws {
    let ignored = ignoreClass.map { Float($0) }
    let bad: (Int, Float)? = labels.withUnsafeBufferPointer { buffer in
      for (i, label) in buffer.enumerated() {
        if let ignored, label == ignored { continue }
        if !(label >= 0 && label < Float(classes) && label == label.rounded(.towardZero)) {
          return (i, label)
        }
      }
      return nil
    }
    if let (index, label) = bad {
      throw SwiftKerasError(
        .invalidData,
        "\(context): label \(label) at index \(index) is not a class index in [0, \(classes))")
    }
  }

  /// `{"name", "reduction", "from_logits", "ignore_class"}`.
  public func getConfig() -> ConfigValue {
    var config = LossKernels.baseConfig(name: name, reduction: reduction)
    config["from_logits"] = .bool(fromLogits)
    config["ignore_class"] = ignoreClass.map { .int($0) } ?? .null
    return .object(config)
  }
}
