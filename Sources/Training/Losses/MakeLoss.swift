import SwiftKerasCore

/// The loss a Keras string identifier names, with default arguments: function names
/// (`"sparse_categorical_crossentropy"`), class names (`"SparseCategoricalCrossentropy"`)
/// and aliases (`"mse"`, `"mae"`, `"mape"`, `"msle"`, `"kld"`, `"bce"`,
/// `"kullback_leibler_divergence"`, `"logcosh"`, `"huber_loss"`, upper-case forms).
///
/// ```swift
/// let loss = try makeLoss("sparse_categorical_crossentropy")
/// ```
///
/// - Throws: `SwiftKerasError.unknownIdentifier` listing the valid identifiers.
public func makeLoss(_ identifier: String) throws -> any Loss {
  guard let key = LossRegistry.canonical[identifier] else {
    throw SwiftKerasError.unknownIdentifier(
      identifier, kind: "loss", valid: Array(LossRegistry.canonical.keys))
  }
  return try LossRegistry.make(key, config: [:])
}

/// The loss a Keras serialized config names: `{"class_name": "...", "config": {...}}`,
/// with Keras's argument keys (`from_logits`, `label_smoothing`, `reduction`, …). A plain
/// string value is treated as an identifier.
///
/// - Throws: `SwiftKerasError` for an unknown class or an invalid argument.
public func makeLoss(config: ConfigValue) throws -> any Loss {
  if let identifier = config.stringValue { return try makeLoss(identifier) }
  guard let className = config["class_name"]?.stringValue else {
    throw SwiftKerasError(
      .invalidArgument,
      "loss config must be a string or have a \"class_name\"; got \(config.jsonString())")
  }
  guard let key = LossRegistry.canonical[className] else {
    throw SwiftKerasError.unknownIdentifier(
      className, kind: "loss", valid: Array(LossRegistry.canonical.keys))
  }
  return try LossRegistry.make(key, config: config["config"]?.objectValue ?? [:])
}

/// Identifier lookup and construction from Keras configs.
enum LossRegistry {
  /// Every loss's function name mapped to its Keras class name.
  static let classNames = [
    "mean_squared_error": "MeanSquaredError",
    "mean_absolute_error": "MeanAbsoluteError",
    "mean_absolute_percentage_error": "MeanAbsolutePercentageError",
    "mean_squared_logarithmic_error": "MeanSquaredLogarithmicError",
    "huber": "Huber",
    "log_cosh": "LogCosh",
    "binary_crossentropy": "BinaryCrossentropy",
    "binary_focal_crossentropy": "BinaryFocalCrossentropy",
    "categorical_crossentropy": "CategoricalCrossentropy",
    "categorical_focal_crossentropy": "CategoricalFocalCrossentropy",
    "sparse_categorical_crossentropy": "SparseCategoricalCrossentropy",
    "kl_divergence": "KLDivergence",
    "poisson": "Poisson",
    "hinge": "Hinge",
    "squared_hinge": "SquaredHinge",
    "categorical_hinge": "CategoricalHinge",
    "cosine_similarity": "CosineSimilarity",
  ]

  /// Every accepted identifier mapped to its canonical function name.
  static let canonical = identifierTable(
    classes: classNames,
    aliases: errorFunctionAliases.merging([
      "kld": "kl_divergence", "KLD": "kl_divergence",
      "kullback_leibler_divergence": "kl_divergence",
      "logcosh": "log_cosh", "huber_loss": "huber",
    ]) { shared, _ in shared })

  /// The losses that are a formula alone (``FormulaLoss``), by function name.
  static let formulas: [String: any LossFormula.Type] = [
    "mean_squared_error": MeanSquaredErrorFormula.self,
    "mean_absolute_error": MeanAbsoluteErrorFormula.self,
    "mean_absolute_percentage_error": MeanAbsolutePercentageErrorFormula.self,
    "mean_squared_logarithmic_error": MeanSquaredLogarithmicErrorFormula.self,
    "log_cosh": LogCoshFormula.self,
    "kl_divergence": KLDivergenceFormula.self,
    "poisson": PoissonFormula.self,
    "hinge": HingeFormula.self,
    "squared_hinge": SquaredHingeFormula.self,
    "categorical_hinge": CategoricalHingeFormula.self,
  ]

  /// Builds the loss `function` names from a Keras `config` object.
  static func make(_ function: String, config: [String: ConfigValue]) throws -> any Loss {
    let reader = ConfigReader(config, owner: function, errorKind: .invalidArgument)
    // Keras's `null` reduction means none; absent means the default.
    let reduction: LossReduction =
      try reader.has("reduction")
      ? reader.string("reduction").map { try LossReduction(identifier: $0) } ?? .none
      : .sumOverBatchSize
    let name = try reader.string("name")
    if let formula = formulas[function] { return formula.loss(reduction: reduction, name: name) }
    switch function {
    case "huber":
      return Huber(
        delta: try reader.float("delta") ?? 1, reduction: reduction, name: name ?? "huber_loss")
    case "cosine_similarity":
      return CosineSimilarity(
        axis: try reader.int("axis") ?? -1, reduction: reduction,
        name: name ?? "cosine_similarity")
    case "binary_crossentropy", "binary_focal_crossentropy", "categorical_crossentropy",
      "categorical_focal_crossentropy":
      return try crossentropy(function, reader: reader, reduction: reduction, name: name)
    case "sparse_categorical_crossentropy":
      return SparseCategoricalCrossentropy(
        fromLogits: try reader.bool("from_logits") ?? false,
        ignoreClass: try reader.int("ignore_class"), reduction: reduction,
        name: name ?? "sparse_categorical_crossentropy")
    default:
      throw SwiftKerasError.unknownIdentifier(function, kind: "loss", valid: Array(canonical.keys))
    }
  }
}

extension LossRegistry {
  /// The cross-entropy `function` names: its `from_logits`, `label_smoothing` and `axis`
  /// keys are read once for all four, the focal ones add `alpha` and `gamma`.
  fileprivate static func crossentropy(
    _ function: String, reader: ConfigReader, reduction: LossReduction, name: String?
  ) throws -> any Loss {
    let fromLogits = try reader.bool("from_logits") ?? false
    let smoothing = try reader.float("label_smoothing") ?? 0
    let axis = try reader.int("axis") ?? -1
    switch function {
    case "binary_crossentropy":
      return BinaryCrossentropy(
        fromLogits: fromLogits, labelSmoothing: smoothing, axis: axis, reduction: reduction,
        name: name ?? function)
    case "categorical_crossentropy":
      return CategoricalCrossentropy(
        fromLogits: fromLogits, labelSmoothing: smoothing, axis: axis, reduction: reduction,
        name: name ?? function)
    default:
      let alpha = try reader.float("alpha") ?? 0.25
      let gamma = try reader.float("gamma") ?? 2
      if function == "categorical_focal_crossentropy" {
        return CategoricalFocalCrossentropy(
          alpha: alpha, gamma: gamma, fromLogits: fromLogits, labelSmoothing: smoothing,
          axis: axis, reduction: reduction, name: name ?? function)
      }
      return BinaryFocalCrossentropy(
        applyClassBalancing: try reader.bool("apply_class_balancing") ?? false, alpha: alpha,
        gamma: gamma, fromLogits: fromLogits, labelSmoothing: smoothing, axis: axis,
        reduction: reduction, name: name ?? function)
    }
  }
}

extension LossFormula {
  /// The loss of this formula, so the registry can build one from a formula type it looked up.
  static func loss(reduction: LossReduction, name: String?) -> any Loss {
    FormulaLoss<Self>(reduction: reduction, name: name ?? defaultName)
  }
}
