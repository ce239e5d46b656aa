/// The case of a string-backed enum that Keras names `identifier` (a reduction, a
/// variance-scaling mode), so every such enum reports an unknown name alike.
///
/// - Throws: ``SwiftKerasError`` listing the valid names, under `kind`.
package func caseNamed<Value: RawRepresentable & CaseIterable>(
  _ identifier: String, kind: String
) throws -> Value where Value.RawValue == String {
  guard let value = Value(rawValue: identifier) else {
    throw SwiftKerasError.unknownIdentifier(
      identifier, kind: kind, valid: Value.allCases.map(\.rawValue))
  }
  return value
}
