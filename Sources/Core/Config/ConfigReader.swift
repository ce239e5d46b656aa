/// A Keras config object (`{"units": 64, "activation": "relu", …}`) read with typed
/// accessors: a key that is absent or null reads as nil, and a value of another type
/// throws an error that names the config's owner, the key, what was expected and what was
/// found. Layer, optimizer, schedule, loss, metric and initializer configs are all read
/// through it.
///
/// ```swift
/// let reader = ConfigReader(["beta_1": 0.8], owner: "optimizer Adam")
/// let beta1 = try reader.double("beta_1") ?? 0.9
/// ```
package struct ConfigReader {
  /// Who the config belongs to, as error messages name it (`"optimizer Adam"`).
  package let owner: String
  /// The config's entries.
  package let values: [String: ConfigValue]
  /// The kind of error a wrong value raises.
  package let errorKind: SwiftKerasError.Kind

  /// A reader of `values`, the config of `owner`.
  package init(
    _ values: [String: ConfigValue], owner: String,
    errorKind: SwiftKerasError.Kind = .invalidData
  ) {
    self.values = values
    self.owner = owner
    self.errorKind = errorKind
  }

  /// A reader of `value`, which must be a JSON object.
  ///
  /// - Throws: `SwiftKerasError` when `value` is not an object.
  package init(object value: ConfigValue, owner: String) throws {
    guard let object = value.objectValue else {
      throw SwiftKerasError(
        .invalidData, "\(owner) config must be a JSON object, got \(value.jsonString())")
    }
    self.init(object, owner: owner)
  }

  /// The value at `key`, or nil when it is absent or null.
  package func present(_ key: String) -> ConfigValue? {
    guard let value = values[key], value != .null else { return nil }
    return value
  }

  /// Whether the config has `key` at all (null included).
  package func has(_ key: String) -> Bool { values[key] != nil }

  /// The error for a value at `key` that is not `expected` (or is missing).
  package func error(_ key: String, expected: String) -> SwiftKerasError {
    SwiftKerasError(
      errorKind,
      "\(owner): '\(key)' must be \(expected), got \(values[key]?.jsonString() ?? "nothing")")
  }

  /// The value at `key` read by `read`, nil when absent or null.
  private func optional<T>(_ key: String, _ expected: String, _ read: (ConfigValue) -> T?)
    throws -> T?
  {
    guard let value = present(key) else { return nil }
    guard let result = read(value) else { throw error(key, expected: expected) }
    return result
  }

  /// An integer.
  package func int(_ key: String) throws -> Int? {
    try optional(key, "an integer") { $0.intValue }
  }

  /// A number.
  package func double(_ key: String) throws -> Double? {
    try optional(key, "a number") { $0.doubleValue }
  }

  /// A number, as a `Float`.
  package func float(_ key: String) throws -> Float? {
    try double(key).map(Float.init)
  }

  /// `true` or `false`.
  package func bool(_ key: String) throws -> Bool? {
    try optional(key, "true or false") { $0.boolValue }
  }

  /// A string.
  package func string(_ key: String) throws -> String? {
    try optional(key, "a string") { $0.stringValue }
  }

  /// A list whose every element `read` accepts (`expected` describes it for errors).
  package func list<T>(_ key: String, of expected: String, _ read: (ConfigValue) -> T?) throws
    -> [T]?
  {
    guard let value = present(key) else { return nil }
    guard let items = value.arrayValue else { throw error(key, expected: expected) }
    return try items.map { item in
      guard let element = read(item) else { throw error(key, expected: expected) }
      return element
    }
  }

  /// A list of integers.
  package func ints(_ key: String) throws -> [Int]? {
    try list(key, of: "a list of integers") { $0.intValue }
  }

  /// The value at `key`, which must be there.
  ///
  /// ```swift
  /// let units = try reader.required("units", reader.int("units"), expected: "an integer")
  /// ```
  package func required<T>(_ key: String, _ value: T?, expected: String) throws -> T {
    guard let value else { throw error(key, expected: expected) }
    return value
  }
}
