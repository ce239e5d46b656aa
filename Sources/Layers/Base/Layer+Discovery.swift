import SwiftKerasCore

extension Layer {
  /// The layers and variables held in this layer's stored properties (a `Layer`, an
  /// optional one, or an array of them; likewise `Variable`), found through `Mirror` as
  /// Keras's attribute tracking finds them, so a subclassed layer or model needs no
  /// registration. The base classes' own bookkeeping is not searched.
  package var discoveredMembers: (layers: [Layer], variables: [Variable]) {
    var layers: [Layer] = []
    var variables: [Variable] = []
    var mirror: Mirror? = Mirror(reflecting: self)
    while let current = mirror, current.subjectType != Layer.self {
      for child in current.children {
        collect(child.value, into: &layers, &variables)
      }
      mirror = current.superclassMirror
    }
    var seen = Set<ObjectIdentifier>([ObjectIdentifier(self)])
    return (
      layers.filter { seen.insert(ObjectIdentifier($0)).inserted },
      variables.filter { seen.insert(ObjectIdentifier($0)).inserted }
    )
  }

  private func collect(_ value: Any, into layers: inout [Layer], _ variables: inout [Variable]) {
    switch value {
    case let layer as Layer: layers.append(layer)
    case let variable as Variable: variables.append(variable)
    case let list as [Layer]: layers += list
    case let list as [Variable]: variables += list
    default:
      // Optionals of either kind.
      let mirror = Mirror(reflecting: value)
      if mirror.displayStyle == .optional, let wrapped = mirror.children.first?.value {
        collect(wrapped, into: &layers, &variables)
      }
    }
  }
}
