import SwiftKerasCore

/// Creates an optimizer from a Keras class name and config, as
/// `keras.optimizers.deserialize({"class_name": …, "config": …})`: the inverse of
/// ``Optimizer/getConfig()``. Missing keys take Keras's defaults; `learning_rate` may be
/// a number or a serialized schedule.
///
/// ```swift
/// let adam = try makeOptimizer(className: "Adam", config: ["learning_rate": 0.01])
/// ```
///
/// - Throws: ``SwiftKerasError`` for an unknown class, a value of the wrong type, or an
///   option SwiftKeras does not support (`use_ema`, `loss_scale_factor`,
///   `gradient_accumulation_steps`).
public func makeOptimizer(className: String, config: ConfigValue) throws -> Optimizer {
  let reader = try ConfigReader(object: config, owner: "optimizer \(className)")
  if try reader.bool("use_ema") ?? false {
    throw SwiftKerasError(.invalidArgument, "optimizer \(className): use_ema is not supported")
  }
  for key in ["loss_scale_factor", "gradient_accumulation_steps"] {
    if try reader.double(key) != nil {
      throw SwiftKerasError(.invalidArgument, "optimizer \(className): \(key) is not supported")
    }
  }
  let kind = className.lowercased()
  guard optimizerIdentifiers.contains(kind) else {
    throw SwiftKerasError.unknownIdentifier(
      className, kind: "optimizer", valid: optimizerIdentifiers)
  }
  let defaultRate: Double = kind == "sgd" ? 0.01 : 0.001
  let rate: LearningRateValue
  if let schedule = reader.values["learning_rate"], schedule.objectValue != nil {
    rate = .schedule(try makeLearningRateSchedule(serialized: schedule))
  } else {
    rate = .constant(Float(try reader.double("learning_rate") ?? defaultRate))
  }
  let weightDecay = try reader.double("weight_decay")
  let clipnorm = try reader.double("clipnorm")
  let clipvalue = try reader.double("clipvalue")
  let globalClipnorm = try reader.double("global_clipnorm")
  let epsilon = try reader.double("epsilon") ?? 1e-7
  switch kind {
  case "sgd":
    return try SGD(
      learningRateValue: rate, momentum: reader.double("momentum") ?? 0,
      nesterov: reader.bool("nesterov") ?? false, weightDecay: weightDecay, clipnorm: clipnorm,
      clipvalue: clipvalue, globalClipnorm: globalClipnorm, name: reader.string("name") ?? "sgd")
  case "adam":
    return try Adam(
      learningRateValue: rate, beta1: reader.double("beta_1") ?? 0.9,
      beta2: reader.double("beta_2") ?? 0.999, epsilon: epsilon,
      amsgrad: reader.bool("amsgrad") ?? false, weightDecay: weightDecay, clipnorm: clipnorm,
      clipvalue: clipvalue, globalClipnorm: globalClipnorm, name: reader.string("name") ?? "adam")
  case "adamw":
    return try AdamW(
      learningRateValue: rate, weightDecay: reader.double("weight_decay") ?? 0.004,
      beta1: reader.double("beta_1") ?? 0.9, beta2: reader.double("beta_2") ?? 0.999,
      epsilon: epsilon, amsgrad: reader.bool("amsgrad") ?? false, clipnorm: clipnorm,
      clipvalue: clipvalue, globalClipnorm: globalClipnorm, name: reader.string("name") ?? "adam_w")
  case "rmsprop":
    return try RMSprop(
      learningRateValue: rate, rho: reader.double("rho") ?? 0.9,
      momentum: reader.double("momentum") ?? 0, epsilon: epsilon,
      centered: reader.bool("centered") ?? false, weightDecay: weightDecay, clipnorm: clipnorm,
      clipvalue: clipvalue, globalClipnorm: globalClipnorm,
      name: reader.string("name") ?? "rm_sprop")
  case "adagrad":
    return try Adagrad(
      learningRateValue: rate,
      initialAccumulatorValue: reader.double("initial_accumulator_value") ?? 0.1, epsilon: epsilon,
      weightDecay: weightDecay, clipnorm: clipnorm, clipvalue: clipvalue,
      globalClipnorm: globalClipnorm, name: reader.string("name") ?? "adagrad")
  case "adadelta":
    return try Adadelta(
      learningRateValue: rate, rho: reader.double("rho") ?? 0.95, epsilon: epsilon,
      weightDecay: weightDecay, clipnorm: clipnorm, clipvalue: clipvalue,
      globalClipnorm: globalClipnorm, name: reader.string("name") ?? "adadelta")
  case "adamax":
    return try Adamax(
      learningRateValue: rate, beta1: reader.double("beta_1") ?? 0.9,
      beta2: reader.double("beta_2") ?? 0.999, epsilon: epsilon, weightDecay: weightDecay,
      clipnorm: clipnorm, clipvalue: clipvalue, globalClipnorm: globalClipnorm,
      name: reader.string("name") ?? "adamax")
  case "nadam":
    return try Nadam(
      learningRateValue: rate, beta1: reader.double("beta_1") ?? 0.9,
      beta2: reader.double("beta_2") ?? 0.999, epsilon: epsilon, weightDecay: weightDecay,
      clipnorm: clipnorm, clipvalue: clipvalue, globalClipnorm: globalClipnorm,
      name: reader.string("name") ?? "nadam")
  default:  // "lion", the only identifier left
    return try Lion(
      learningRateValue: rate, beta1: reader.double("beta_1") ?? 0.9,
      beta2: reader.double("beta_2") ?? 0.99, weightDecay: weightDecay, clipnorm: clipnorm,
      clipvalue: clipvalue, globalClipnorm: globalClipnorm, name: reader.string("name") ?? "lion")
  }
}

/// Creates an optimizer from Keras's serialized form
/// `{"class_name": "Adam", "config": {…}, …}`, the inverse of
/// ``Optimizer/serialized()``.
///
/// - Throws: ``SwiftKerasError`` when `class_name` or `config` is missing or invalid.
public func makeOptimizer(serialized: ConfigValue) throws -> Optimizer {
  guard let className = serialized["class_name"]?.stringValue, let config = serialized["config"]
  else {
    throw SwiftKerasError(
      .invalidData,
      "a serialized optimizer needs \"class_name\" and \"config\", got \(serialized.jsonString())")
  }
  return try makeOptimizer(className: className, config: config)
}
