import SwiftKerasCore

/// The `Kind` (a regularizer, a constraint) a serialized config or a class name
/// describes, looked up among `types`.
///
/// - Throws: ``SwiftKerasError`` when the config is malformed or names a class that is
///   not a `Kind`.
func deserialize<Kind>(
  _ value: ConfigValue, as _: Kind.Type, types: [any SerializableObject.Type], kind: String,
  owner: String
) throws -> Kind {
  let object = try deserialize(value, types: types, kind: kind, owner: owner)
  guard let typed = object as? Kind else {
    throw SwiftKerasError(.invalidData, "\(owner): '\(object.className)' is not a \(kind)")
  }
  return typed
}
