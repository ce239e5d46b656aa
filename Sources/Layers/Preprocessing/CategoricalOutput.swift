import SwiftKerasCore

/// The output modes of the layers that turn indices into categorical outputs
/// (`CategoryEncoding`, `Discretization`, the lookups), as Keras's
/// `encode_categorical_inputs`.
enum CategoricalOutput {
  /// Encodes integer-valued `indices` (each in `0..<depth`) as `mode` says:
  ///
  /// - `int`: the indices unchanged;
  /// - `one_hot`: one row of `depth` per index (a last axis of 1 is replaced);
  /// - `multi_hot`: 1 where an index occurs, `count`: how many times it occurs — along
  ///   the last axis for inputs of rank 2 or less (`[batch, n]` → `[batch, depth]`),
  ///   along axis 1 for higher ranks (`[batch, n, m]` → `[batch, m, depth]`), as Keras;
  /// - `tf_idf`: counts times `idfWeights` (rank 2 or less).
  ///
  /// - Throws: ``SwiftKerasError`` naming the layer for an index outside `0..<depth` or
  ///   not an integer, or an unknown mode.
  static func encode(
    _ indices: Tensor, mode: String, depth: Int, idfWeights: [Float]? = nil,
    skipNegative: Bool = false, layer: String, kind: String
  ) throws -> Tensor {
    if mode == "int" { return indices }
    var shape = indices.shape
    let values = indices.scalars
    if shape.isEmpty { shape = [1] }
    // A lookup's masked tokens (index -1 here) add nothing, as Keras's out-of-range mask
    // value.
    for value in values
    where !(value >= 0 && value < Float(depth) && value.rounded() == value)
      && !(skipNegative && value < 0)
    {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(layer)' (\(kind)): \(mode) output needs integer indices in 0..<\(depth), found \(value)"
      )
    }
    switch mode {
    case "one_hot":
      if shape.count > 1 && shape.last == 1 { shape.removeLast() }
      var out = [Float](repeating: 0, count: values.count * depth)
      for (row, value) in values.enumerated() where value >= 0 {
        out[row * depth + Int(value)] = 1
      }
      return Tensor(shape: shape + [depth], scalars: out)
    case "multi_hot", "count", "tf_idf":
      if mode != "tf_idf" && shape.count > 2 {
        // Keras reduces the one-hot rows over axis 1 for rank-3 and higher inputs.
        let (outer, steps) = (shape[0], shape[1])
        let inner = shape.dropFirst(2).reduce(1, *)
        var out = [Float](repeating: 0, count: outer * inner * depth)
        for a in 0..<outer {
          for s in 0..<steps {
            for i in 0..<inner where values[(a * steps + s) * inner + i] >= 0 {
              let value = Int(values[(a * steps + s) * inner + i])
              let slot = (a * inner + i) * depth + value
              out[slot] = mode == "multi_hot" ? 1 : out[slot] + 1
            }
          }
        }
        return Tensor(shape: [outer] + Array(shape.dropFirst(2)) + [depth], scalars: out)
      }
      let last = shape.last ?? 1
      let rows = shape.dropLast().reduce(1, *)
      var out = [Float](repeating: 0, count: rows * depth)
      for row in 0..<rows {
        for position in 0..<last where values[row * last + position] >= 0 {
          let slot = row * depth + Int(values[row * last + position])
          out[slot] = mode == "multi_hot" ? 1 : out[slot] + 1
        }
      }
      if mode == "tf_idf", let idfWeights {
        for index in out.indices { out[index] *= idfWeights[index % depth] }
      }
      return Tensor(shape: Array(shape.dropLast()) + [depth], scalars: out)
    default:
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(layer)' (\(kind)): unknown output_mode '\(mode)' (expected int, one_hot, multi_hot or count)"
      )
    }
  }

  /// The output shape of ``encode(_:mode:depth:idfWeights:layer:kind:)`` for inputs of
  /// `shape`.
  static func outputShape(_ shape: Shape, mode: String, depth: Int) -> Shape {
    switch mode {
    case "int": return shape
    case "one_hot":
      if shape.count > 1 && shape.last == 1 { return Array(shape.dropLast()) + [depth] }
      return shape + [depth]
    case "count" where shape.count > 2, "multi_hot" where shape.count > 2:
      return [shape[0]] + Array(shape.dropFirst(2)) + [depth]
    default:
      return Array(shape.dropLast()) + [depth]
    }
  }
}
