import SwiftKerasCore

/// The metric a Keras config describes: an identifier string (`"auc"`), or a serialized
/// metric object as Keras writes it in a `.keras` file's `compile_config` —
/// `{"class_name": "Precision", "config": {"top_k": 2, "name": "p", …}, …}` — with its
/// arguments.
///
/// ```swift
/// let metric = try makeMetric(config: ["class_name": "AUC", "config": ["curve": "PR"]])
/// ```
///
/// Classes with arguments (`Precision`, `Recall`, `AUC`, `BinaryAccuracy`, the top-k
/// accuracies, `F1Score`, `FBetaScore`, `R2Score`) take them from the config; the others
/// are made by class name and keep the config's `name`.
///
/// - Throws: `SwiftKerasError` for an unknown class (listing the valid ones) or an
///   argument SwiftKeras does not support (AUC's explicit `thresholds`).
public func makeMetric(config: ConfigValue) throws -> any Metric {
  if let identifier = config.stringValue { return try makeMetric(identifier) }
  guard let className = config["class_name"]?.stringValue else {
    throw SwiftKerasError(
      .invalidData, "a metric config needs a \"class_name\" or an identifier string, got \(config)")
  }
  let arguments = ConfigReader(
    config["config"]?.objectValue ?? [:], owner: "metric \(className)")
  let name = try arguments.string("name")
  switch className {
  case "Precision", "Recall":
    let thresholds = try floats(arguments, "thresholds")
    let (topK, classId) = (try arguments.int("top_k"), try arguments.int("class_id"))
    return className == "Precision"
      ? try Precision(
        thresholds: thresholds, topK: topK, classId: classId, name: name ?? "precision")
      : try Recall(thresholds: thresholds, topK: topK, classId: classId, name: name ?? "recall")
  case "AUC":
    if try floats(arguments, "thresholds") != nil {
      throw SwiftKerasError(
        .invalidArgument, "metric AUC: explicit thresholds are not supported; use num_thresholds")
    }
    let curveName = try arguments.string("curve") ?? "ROC"
    let methodName = try arguments.string("summation_method") ?? "interpolation"
    guard let curve = AUC.Curve(rawValue: curveName.uppercased()) else {
      throw SwiftKerasError.unknownIdentifier(curveName, kind: "AUC curve", valid: ["ROC", "PR"])
    }
    guard let method = AUC.SummationMethod(rawValue: methodName.lowercased()) else {
      throw SwiftKerasError.unknownIdentifier(
        methodName, kind: "AUC summation method", valid: ["interpolation", "majoring", "minoring"])
    }
    return try AUC(
      numThresholds: try arguments.int("num_thresholds") ?? 200, curve: curve,
      summationMethod: method, name: name ?? "auc",
      multiLabel: try arguments.bool("multi_label") ?? false,
      numLabels: try arguments.int("num_labels"),
      labelWeights: try floats(arguments, "label_weights"),
      fromLogits: try arguments.bool("from_logits") ?? false)
  case "BinaryAccuracy":
    return BinaryAccuracy(
      name: name ?? "binary_accuracy", threshold: try arguments.float("threshold") ?? 0.5)
  case "TopKCategoricalAccuracy":
    return TopKCategoricalAccuracy(
      k: try arguments.int("k") ?? 5, name: name ?? "top_k_categorical_accuracy")
  case "SparseTopKCategoricalAccuracy":
    return SparseTopKCategoricalAccuracy(
      k: try arguments.int("k") ?? 5, name: name ?? "sparse_top_k_categorical_accuracy")
  case "F1Score":
    return try F1Score(
      average: try arguments.string("average"), threshold: try arguments.float("threshold"),
      name: name ?? "f1_score")
  case "FBetaScore":
    return try FBetaScore(
      average: try arguments.string("average"), beta: try arguments.float("beta") ?? 1,
      threshold: try arguments.float("threshold"), name: name ?? "fbeta_score")
  case "R2Score":
    return try R2Score(
      classAggregation: arguments.has("class_aggregation")
        ? try arguments.string("class_aggregation") : "uniform_average",
      numRegressors: try arguments.int("num_regressors") ?? 0, name: name ?? "r2_score")
  default:
    let metric = try makeMetric(className)
    if let name { metric.name = name }
    return metric
  }
}

/// A number or a list of numbers at `key`, as a list; Keras's saving writes tensors as
/// `{"class_name": "__tensor__", "config": {"value": [...]}}`.
private func floats(_ arguments: ConfigReader, _ key: String) throws -> [Float]? {
  guard var value = arguments.present(key) else { return nil }
  if value["class_name"]?.stringValue == "__tensor__", let inner = value["config"]?["value"] {
    value = inner
  }
  if let number = value.doubleValue { return [Float(number)] }
  guard let items = value.arrayValue, case let numbers = items.compactMap(\.doubleValue),
    numbers.count == items.count
  else { throw arguments.error(key, expected: "a number or a list of numbers") }
  return numbers.map(Float.init)
}

/// A metric as Keras's `compile_config` holds it: the serialized object
/// (`{"module": "keras.metrics", "class_name": …, "config": …}`) for the built-in metric
/// classes, which ``makeMetric(config:)`` reads back with their arguments, and the name for
/// the others (loss-based and custom metrics).
public func serializedMetric(_ metric: any Metric) -> ConfigValue {
  let className = String(describing: type(of: metric))
  guard MetricRegistry.canonical[className] != nil else { return .string(metric.name) }
  return [
    "module": "keras.metrics", "class_name": .string(className), "config": metric.getConfig(),
    "registered_name": nil,
  ]
}
