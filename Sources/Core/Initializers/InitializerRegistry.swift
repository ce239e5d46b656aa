// Building initializers from Keras's string identifiers and serialized configs.

/// The Keras class names and how to build each from a config object.
private let initializerFactories:
  [String: @Sendable ([String: ConfigValue]) throws -> any Initializer] = [
    "Zeros": { config in
      try InitializerConfig(config, className: "Zeros", keys: []).finish { Zeros() }
    },
    "Ones": { config in
      try InitializerConfig(config, className: "Ones", keys: []).finish { Ones() }
    },
    "Constant": { config in
      let c = try InitializerConfig(config, className: "Constant", keys: ["value"])
      return try c.finish { Constant(value: try c.float("value") ?? 0) }
    },
    "Identity": { config in
      let c = try InitializerConfig(config, className: "Identity", keys: ["gain"])
      return try c.finish { Identity(gain: try c.float("gain") ?? 1) }
    },
    "RandomNormal": normal(PlainNormalDraw.self),
    "RandomUniform": { config in
      let c = try InitializerConfig(
        config, className: "RandomUniform", keys: ["minval", "maxval", "seed"])
      return try c.finish {
        RandomUniform(
          minval: try c.float("minval") ?? -0.05, maxval: try c.float("maxval") ?? 0.05,
          seed: try c.seed())
      }
    },
    "TruncatedNormal": normal(TruncatedNormalDraw.self),
    "VarianceScaling": { config in
      let c = try InitializerConfig(
        config, className: "VarianceScaling",
        keys: ["scale", "mode", "distribution", "seed", "input_axes", "output_axes"])
      return try c.finish {
        try VarianceScaling(
          scale: try c.float("scale") ?? 1, mode: try c.string("mode") ?? "fan_in",
          distribution: try c.string("distribution") ?? "truncated_normal", seed: try c.seed(),
          inputAxes: try c.axes("input_axes"), outputAxes: try c.axes("output_axes"))
      }
    },
    "Orthogonal": { config in
      let c = try InitializerConfig(config, className: "Orthogonal", keys: ["gain", "seed"])
      return try c.finish { Orthogonal(gain: try c.float("gain") ?? 1, seed: try c.seed()) }
    },
    "GlorotUniform": preset(GlorotUniformRule.self),
    "GlorotNormal": preset(GlorotNormalRule.self),
    "HeUniform": preset(HeUniformRule.self),
    "HeNormal": preset(HeNormalRule.self),
    "LecunUniform": preset(LecunUniformRule.self),
    "LecunNormal": preset(LecunNormalRule.self),
  ]

/// The factory of a random or truncated normal initializer.
private func normal<Draw: NormalDraw>(
  _ draw: Draw.Type
) -> @Sendable ([String: ConfigValue]) throws -> any Initializer {
  { config in
    let c = try InitializerConfig(
      config, className: Draw.className, keys: ["mean", "stddev", "seed"])
    return try c.finish {
      NormalInitializer<Draw>(
        mean: try c.float("mean") ?? 0, stddev: try c.float("stddev") ?? 0.05, seed: try c.seed())
    }
  }
}

/// The factory of a Glorot, He or LeCun initializer.
private func preset<Rule: VarianceScalingRule>(
  _ rule: Rule.Type
) -> @Sendable ([String: ConfigValue]) throws -> any Initializer {
  { config in
    let c = try InitializerConfig(
      config, className: Rule.rule.className, keys: ["seed", "input_axes", "output_axes"])
    return try c.finish {
      VarianceScalingPreset<Rule>(
        seed: try c.seed(), inputAxes: try c.axes("input_axes"),
        outputAxes: try c.axes("output_axes"))
    }
  }
}

/// Every identifier Keras's `initializers.get` accepts for a built-in, mapped to its
/// class name: the class names, their snake_case forms and Keras's aliases.
private let classNamesByIdentifier: [String: String] = {
  var names: [String: String] = [:]
  for className in initializerFactories.keys {
    names[className] = className
    names[snakeCase(className)] = className
  }
  let aliases = [
    "IdentityInitializer": "Identity", "OrthogonalInitializer": "Orthogonal",
    "normal": "RandomNormal", "uniform": "RandomUniform", "one": "Ones", "zero": "Zeros",
  ]
  names.merge(aliases) { _, alias in alias }
  return names
}()

/// Reads one initializer's config object, rejecting keys the initializer does not take.
private struct InitializerConfig {
  let reader: ConfigReader

  init(_ values: [String: ConfigValue], className: String, keys: Set<String>) throws {
    let unknown = values.keys.filter { !keys.contains($0) }.sorted()
    if !unknown.isEmpty {
      throw SwiftKerasError(
        .invalidData,
        "\(className) config: unknown key\(unknown.count == 1 ? "" : "s") \(unknown.joined(separator: ", ")); expected \(keys.isEmpty ? "none" : keys.sorted().joined(separator: ", "))"
      )
    }
    reader = ConfigReader(values, owner: "\(className) config")
  }

  func finish(_ body: () throws -> any Initializer) throws -> any Initializer { try body() }

  func float(_ key: String) throws -> Float? { try reader.float(key) }

  func string(_ key: String) throws -> String? { try reader.string(key) }

  func seed() throws -> UInt64? { try reader.int("seed").map { UInt64(truncatingIfNeeded: $0) } }

  func axes(_ key: String) throws -> [Int]? { try reader.ints(key) }
}

/// Every string ``makeInitializer(_:)`` accepts, sorted: Keras's class names
/// (`"GlorotUniform"`), their snake_case forms (`"glorot_uniform"`) and Keras's aliases
/// (`"normal"`, `"uniform"`, `"one"`, `"zero"`, …).
public var initializerIdentifiers: [String] { classNamesByIdentifier.keys.sorted() }

/// The initializer Keras's `initializers.get` returns for a string identifier, with its
/// default arguments.
///
/// ```swift
/// let kernel = try makeInitializer("glorot_uniform")
/// let bias = try makeInitializer("Zeros")
/// ```
///
/// - Throws: ``SwiftKerasError`` listing ``initializerIdentifiers`` when `identifier`
///   names no initializer.
public func makeInitializer(_ identifier: String) throws -> any Initializer {
  guard let className = classNamesByIdentifier[identifier],
    let factory = initializerFactories[className]
  else {
    throw SwiftKerasError.unknownIdentifier(
      identifier, kind: "initializer", valid: initializerIdentifiers)
  }
  return try factory([:])
}

/// The initializer described by a Keras config: a string identifier, or an object with
/// a `"class_name"` and an optional `"config"`, as `keras.initializers.deserialize` reads
/// it (the output of ``Initializer/serialized()`` or a layer config's
/// `"kernel_initializer"`).
///
/// ```swift
/// let orthogonal = try makeInitializer(
///   config: ["class_name": "Orthogonal", "config": ["gain": 2.0, "seed": nil]])
/// ```
///
/// - Throws: ``SwiftKerasError`` for an unknown class name, a key the initializer does
///   not take, or a value of the wrong type.
public func makeInitializer(config: ConfigValue) throws -> any Initializer {
  if let identifier = config.stringValue { return try makeInitializer(identifier) }
  guard let object = config.objectValue, let name = object["class_name"]?.stringValue else {
    throw SwiftKerasError(
      .invalidData,
      "initializer config: expected a string or an object with \"class_name\", got \(config.jsonString())"
    )
  }
  guard let className = classNamesByIdentifier[name], let factory = initializerFactories[className]
  else {
    throw SwiftKerasError.unknownIdentifier(
      name, kind: "initializer", valid: initializerIdentifiers)
  }
  let arguments = object["config"] ?? .object([:])
  guard let values = arguments.objectValue else {
    throw SwiftKerasError(
      .invalidData, "\(className) config: expected an object, got \(arguments.jsonString())")
  }
  return try factory(values)
}
