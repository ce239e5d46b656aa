extension ActivationFunction: ExpressibleByStringLiteral {
  /// The activation a Keras name gives, so `Dense(128, activation: "relu")` reads as in
  /// Keras. A name that matches nothing becomes ``unknown(_:)``, which ``validated()``
  /// (called when the layer is built) turns into an error listing the valid names.
  public init(stringLiteral name: String) {
    self = (try? ActivationFunction(name)) ?? .unknown(name)
  }

  /// The activation itself, or an error for a name that matched none.
  ///
  /// - Throws: ``SwiftKerasError`` of kind `.unknownIdentifier` listing the valid names.
  public func validated() throws -> ActivationFunction {
    guard case .unknown(let name) = self else { return self }
    return try ActivationFunction(name)
  }
}
