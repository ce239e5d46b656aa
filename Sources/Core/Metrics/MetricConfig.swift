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
  let arguments = MetricArguments(config["config"] ?? .null, className: className)
  let name = arguments.string("name")
  switch className {
  case "Precision", "Recall":
    let thresholds = try arguments.floats("thresholds")
    let (topK, classId) = (try arguments.int("top_k"), try arguments.int("class_id"))
    return className == "Precision"
      ? try Precision(
        thresholds: thresholds, topK: topK, classId: classId, name: name ?? "precision")
      : try Recall(thresholds: thresholds, topK: topK, classId: classId, name: name ?? "recall")
  case "AUC":
    if try arguments.floats("thresholds") != nil {
      throw SwiftKerasError(
        .invalidArgument, "metric AUC: explicit thresholds are not supported; use num_thresholds")
    }
    let curveName = arguments.string("curve") ?? "ROC"
    let methodName = arguments.string("summation_method") ?? "interpolation"
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
      labelWeights: try arguments.floats("label_weights"),
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
      average: arguments.string("average"), threshold: try arguments.float("threshold"),
      name: name ?? "f1_score")
  case "FBetaScore":
    return try FBetaScore(
      average: arguments.string("average"), beta: try arguments.float("beta") ?? 1,
      threshold: try arguments.float("threshold"), name: name ?? "fbeta_score")
  case "R2Score":
    return try R2Score(
      classAggregation: arguments.has("class_aggregation")
        ? arguments.string("class_aggregation") : "uniform_average",
      numRegressors: try arguments.int("num_regressors") ?? 0, name: name ?? "r2_score")
  default:
    let metric = try makeMetric(className)
    if let name { metric.name = name }
    return metric
  }
}

/// A metric config's arguments, read with errors that name the metric and the key.
private struct MetricArguments {
  let values: ConfigValue
  let className: String

  init(_ values: ConfigValue, className: String) {
    self.values = values
    self.className = className
  }

  /// The value at `key`, nil when absent or null.
  private func present(_ key: String) -> ConfigValue? {
    guard let value = values[key], value != .null else { return nil }
    return value
  }

  func has(_ key: String) -> Bool { values[key] != nil }

  func string(_ key: String) -> String? { present(key)?.stringValue }

  func int(_ key: String) throws -> Int? {
    guard let value = present(key) else { return nil }
    guard let number = value.intValue else { throw wrong(key, value, "an integer") }
    return number
  }

  func bool(_ key: String) throws -> Bool? {
    guard let value = present(key) else { return nil }
    guard let flag = value.boolValue else { throw wrong(key, value, "true or false") }
    return flag
  }

  func float(_ key: String) throws -> Float? {
    guard let value = present(key) else { return nil }
    guard let number = value.doubleValue else { throw wrong(key, value, "a number") }
    return Float(number)
  }

  /// A number or a list of numbers as a list; Keras's saving writes tensors as
  /// `{"class_name": "__tensor__", "config": {"value": [...]}}`.
  func floats(_ key: String) throws -> [Float]? {
    guard var value = present(key) else { return nil }
    if value["class_name"]?.stringValue == "__tensor__", let inner = value["config"]?["value"] {
      value = inner
    }
    if let number = value.doubleValue { return [Float(number)] }
    guard let list = value.arrayValue else { throw wrong(key, value, "a list of numbers") }
    return try list.map { element in
      guard let number = element.doubleValue else { throw wrong(key, value, "a list of numbers") }
      return Float(number)
    }
  }

  private func wrong(_ key: String, _ value: ConfigValue, _ expected: String) -> SwiftKerasError {
    SwiftKerasError(
      .invalidData, "metric \(className): '\(key)' must be \(expected), found \(value)")
  }
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
