import SwiftKerasCore

/// The metric a Keras string identifier names, with default arguments: class names
/// (`"SparseCategoricalAccuracy"`), their snake-case forms
/// (`"sparse_categorical_accuracy"`, `"auc"`, `"f1_score"`) and aliases (`"mse"`, `"mae"`,
/// `"mape"`, `"msle"`, `"bce"`). Loss-based metrics (`"mean_squared_error"`,
/// `"binary_crossentropy"`, …) are ``LossMetric``s.
///
/// `"accuracy"`/`"acc"` are not accepted here: they depend on the loss and shapes, see
/// ``resolveAccuracy(lossName:yTrueShape:yPredShape:name:)``.
///
/// - Throws: `SwiftKerasError.unknownIdentifier` listing the valid identifiers.
public func makeMetric(_ identifier: String) throws -> any Metric {
  guard let key = MetricRegistry.canonical[identifier] else {
    throw SwiftKerasError.unknownIdentifier(
      identifier, kind: "metric", valid: Array(MetricRegistry.canonical.keys))
  }
  let metric = try MetricRegistry.make(key)
  return metric
}

/// The accuracy metric Keras's `compile(metrics: ["accuracy"])` picks, named `name`:
/// binary when the output's last dimension is 1 or the loss is a binary cross-entropy;
/// sparse when the loss is sparse categorical cross-entropy, or `yTrue` has a lower rank
/// than `yPred`, or `yTrue` ends in 1 while `yPred` ends in more; else categorical.
public func resolveAccuracy(
  lossName: String, yTrueShape: [Int], yPredShape: [Int], name: String = "accuracy"
) -> any Metric {
  let predLast = yPredShape.last ?? 1
  let trueLast = yTrueShape.last ?? 1
  let binaryLosses = [
    "binary_crossentropy", "bce", "BCE", "BinaryCrossentropy",
    "binary_focal_crossentropy", "BinaryFocalCrossentropy",
  ]
  let sparseLosses = ["sparse_categorical_crossentropy", "SparseCategoricalCrossentropy"]
  if predLast == 1 || binaryLosses.contains(lossName) {
    return BinaryAccuracy(name: name)
  }
  if sparseLosses.contains(lossName) || yTrueShape.count < yPredShape.count
    || (trueLast == 1 && predLast > 1)
  {
    return SparseCategoricalAccuracy(name: name)
  }
  return CategoricalAccuracy(name: name)
}

/// Identifier lookup and construction of metrics.
enum MetricRegistry {
  /// The losses Keras also offers as metrics (``LossMetric``s).
  static let lossMetrics: Set = [
    "mean_squared_error", "mean_absolute_error", "mean_absolute_percentage_error",
    "mean_squared_logarithmic_error", "binary_crossentropy", "categorical_crossentropy",
    "sparse_categorical_crossentropy", "kl_divergence", "poisson", "hinge", "squared_hinge",
    "categorical_hinge",
  ]

  /// Every accepted identifier mapped to its snake-case name.
  static let canonical = identifierTable(
    classes: [
      "binary_accuracy": "BinaryAccuracy",
      "categorical_accuracy": "CategoricalAccuracy",
      "sparse_categorical_accuracy": "SparseCategoricalAccuracy",
      "top_k_categorical_accuracy": "TopKCategoricalAccuracy",
      "sparse_top_k_categorical_accuracy": "SparseTopKCategoricalAccuracy",
      "root_mean_squared_error": "RootMeanSquaredError",
      "precision": "Precision",
      "recall": "Recall",
      "auc": "AUC",
      "f1_score": "F1Score",
      "fbeta_score": "FBetaScore",
      "r2_score": "R2Score",
      "mean": "Mean",
    ].merging(LossRegistry.classNames.filter { lossMetrics.contains($0.key) }) { own, _ in own },
    aliases: errorFunctionAliases)

  /// Builds the metric `key` names with default arguments.
  static func make(_ key: String) throws -> any Metric {
    switch key {
    case "binary_accuracy": return BinaryAccuracy()
    case "categorical_accuracy": return CategoricalAccuracy()
    case "sparse_categorical_accuracy": return SparseCategoricalAccuracy()
    case "top_k_categorical_accuracy": return TopKCategoricalAccuracy()
    case "sparse_top_k_categorical_accuracy": return SparseTopKCategoricalAccuracy()
    case "root_mean_squared_error": return RootMeanSquaredError()
    case "precision": return try Precision()
    case "recall": return try Recall()
    case "auc": return try AUC()
    case "f1_score": return try F1Score()
    case "fbeta_score": return try FBetaScore()
    case "r2_score": return try R2Score()
    case "mean": return Mean()
    default:
      return LossMetric(try makeLoss(key), name: key)
    }
  }
}
