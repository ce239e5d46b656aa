import SwiftKerasCore

/// The Keras class names ``makeLearningRateSchedule(className:config:)`` accepts.
public let learningRateScheduleClassNames = [
  "CosineDecay", "CosineDecayRestarts", "ExponentialDecay", "InverseTimeDecay",
  "PiecewiseConstantDecay", "PolynomialDecay",
]

/// Creates a schedule from its Keras class name and config (the inverse of
/// ``LearningRateSchedule/getConfig()``).
///
/// ```swift
/// let schedule = try makeLearningRateSchedule(
///   className: "ExponentialDecay",
///   config: ["initial_learning_rate": 0.1, "decay_steps": 10, "decay_rate": 0.9])
/// ```
///
/// - Throws: ``SwiftKerasError`` for an unknown class or a missing or mistyped value.
public func makeLearningRateSchedule(className: String, config: ConfigValue) throws
  -> LearningRateSchedule
{
  let reader = try ConfigReader(object: config, owner: "schedule \(className)")
  switch className {
  case "ExponentialDecay":
    return try stepDecay(ExponentialDecayFormula.self, reader)
  case "PiecewiseConstantDecay":
    return try PiecewiseConstantDecay(
      boundaries: reader.required(
        "boundaries", reader.ints("boundaries"), expected: "a list of integers"),
      values: reader.required(
        "values", reader.list("values", of: "a list of numbers") { $0.doubleValue },
        expected: "a list of numbers"),
      name: reader.string("name") ?? "PiecewiseConstant")
  case "PolynomialDecay":
    return try PolynomialDecay(
      initialLearningRate: reader.requiredDouble("initial_learning_rate"),
      decaySteps: reader.requiredInt("decay_steps"),
      endLearningRate: reader.double("end_learning_rate") ?? 0.0001,
      power: reader.double("power") ?? 1, cycle: reader.bool("cycle") ?? false,
      name: reader.string("name") ?? "PolynomialDecay")
  case "InverseTimeDecay":
    return try stepDecay(InverseTimeDecayFormula.self, reader)
  case "CosineDecay":
    return try CosineDecay(
      initialLearningRate: reader.requiredDouble("initial_learning_rate"),
      decaySteps: reader.requiredInt("decay_steps"), alpha: reader.double("alpha") ?? 0,
      name: reader.string("name") ?? "CosineDecay",
      warmupTarget: reader.double("warmup_target"),
      warmupSteps: reader.int("warmup_steps") ?? 0)
  case "CosineDecayRestarts":
    return try CosineDecayRestarts(
      initialLearningRate: reader.requiredDouble("initial_learning_rate"),
      firstDecaySteps: reader.requiredInt("first_decay_steps"), tMul: reader.double("t_mul") ?? 2,
      mMul: reader.double("m_mul") ?? 1, alpha: reader.double("alpha") ?? 0,
      name: reader.string("name") ?? "SGDRDecay")
  default:
    throw SwiftKerasError.unknownIdentifier(
      className, kind: "learning rate schedule", valid: learningRateScheduleClassNames)
  }
}

/// A ``StepDecay`` with `formula` from its Keras config.
private func stepDecay<Formula: StepDecayFormula>(_ formula: Formula.Type, _ reader: ConfigReader)
  throws
  -> StepDecay<Formula>
{
  try StepDecay(
    initialLearningRate: reader.requiredDouble("initial_learning_rate"),
    decaySteps: reader.requiredInt("decay_steps"), decayRate: reader.requiredDouble("decay_rate"),
    staircase: reader.bool("staircase") ?? false,
    name: reader.string("name") ?? Formula.kerasClassName)
}

/// Creates a schedule from Keras's serialized form
/// `{"class_name": "ExponentialDecay", "config": {…}, …}` (as found in an optimizer's
/// `learning_rate`).
///
/// - Throws: ``SwiftKerasError`` when the object has no `class_name` or `config`, or
///   they are invalid.
public func makeLearningRateSchedule(serialized: ConfigValue) throws -> LearningRateSchedule {
  guard let className = serialized["class_name"]?.stringValue, let config = serialized["config"]
  else {
    throw SwiftKerasError(
      .invalidData,
      "a serialized learning rate schedule needs \"class_name\" and \"config\", got "
        + serialized.jsonString())
  }
  return try makeLearningRateSchedule(className: className, config: config)
}

extension ConfigReader {
  /// The number at `key`, which every schedule config must have.
  fileprivate func requiredDouble(_ key: String) throws -> Double {
    try required(key, double(key), expected: "a number")
  }

  /// The integer at `key`, which every schedule config must have.
  fileprivate func requiredInt(_ key: String) throws -> Int {
    try required(key, int(key), expected: "an integer")
  }
}
