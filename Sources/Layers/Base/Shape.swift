/// A tensor shape as Keras writes it: `nil` for an extent not known until data arrives
/// (the batch axis, usually).
public typealias Shape = [Int?]

/// Keras's text for a shape: `(None, 128)`, `(None,)` for one axis.
public func formatShape(_ shape: Shape) -> String {
  let parts = shape.map { $0.map(String.init) ?? "None" }
  if parts.count == 1 { return "(\(parts[0]),)" }
  return "(" + parts.joined(separator: ", ") + ")"
}

/// Whether a concrete shape fits an expected one (nil matches any extent).
package func shapeMatches(_ concrete: [Int], _ expected: Shape) -> Bool {
  concrete.count == expected.count
    && zip(concrete, expected).allSatisfy { actual, wanted in wanted == nil || wanted == actual }
}

/// The shape of a batch of `tensor`: its own shape with the first axis unknown.
package func batchShape(of tensor: [Int]) -> Shape {
  guard !tensor.isEmpty else { return [] }
  return [nil] + tensor.dropFirst().map { Optional($0) }
}
