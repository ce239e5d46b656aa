/// A random orthogonal matrix times `gain`, as `keras.initializers.Orthogonal`.
///
/// The shape is viewed as a matrix of `shape[0] × … × shape[n-2]` rows and `shape[n-1]`
/// columns. A normal matrix of the taller orientation is drawn and the Q of its QR
/// decomposition (with R's diagonal made positive) is kept, transposed for a wide
/// shape: a tall result has orthonormal columns, a wide one orthonormal rows.
///
/// ```swift
/// var rng = RandomGenerator(seed: 1)
/// let q = Orthogonal()(shape: [64, 256], generator: &rng)   // q · qᵀ ≈ I
/// ```
public struct Orthogonal: Initializer, Sendable {
  /// The factor applied to the orthogonal matrix.
  public var gain: Float
  /// The seed of the initializer's own generator, or nil to draw from the one passed in.
  public var seed: UInt64?

  /// Creates the initializer.
  public init(gain: Float = 1, seed: UInt64? = nil) {
    self.gain = gain
    self.seed = seed
  }

  /// Keras's class name, `"Orthogonal"`.
  public var name: String { "Orthogonal" }

  /// Accepts shapes of rank 2 or more.
  public func validate(shape: [Int]) throws {
    try checkExtents(shape, initializer: name)
    guard shape.count >= 2 else {
      throw SwiftKerasError(
        .invalidArgument,
        "Orthogonal initializer: needs a shape of rank 2 or more, got \(shape) of rank \(shape.count)"
      )
    }
  }

  /// A `gain`-scaled orthogonal matrix of `shape`, drawn from `generator` unless seeded.
  ///
  /// - Precondition: `shape` has rank 2 or more.
  public func callAsFunction(shape: [Int], generator: inout RandomGenerator) -> Tensor {
    precondition(
      shape.count >= 2, "Orthogonal initializer: needs a shape of rank 2 or more, got \(shape)")
    let rows = shape.dropLast().reduce(1, *)
    let columns = shape[shape.count - 1]
    let long = Swift.max(rows, columns)
    let short = Swift.min(rows, columns)
    // A normal [long, short] matrix, as Keras draws it, stored transposed: one row per
    // column, so Gram–Schmidt runs over contiguous rows.
    let normal = drawing(seed: seed, from: &generator) {
      Tensor.randomNormal(shape: [long, short], generator: &$0)
    }
    var q = [Double](repeating: 0, count: long * short)
    let gain = self.gain
    return q.withUnsafeMutableBufferPointer { qBuffer -> Tensor in
      guard let qt = qBuffer.baseAddress else { return Tensor(repeating: 0, shape: shape) }
      normal.withUnsafeBufferPointer { a in
        for i in 0..<long {
          for j in 0..<short { qt[j * long + i] = Double(a[i * short + j]) }
        }
      }
      GramSchmidt.orthonormalizeRows(qt, count: short, length: long)
      return Tensor(shape: shape) { out in
        if rows >= columns {
          // Q itself: out[i, j] = column j of Q at row i.
          for i in 0..<rows {
            for j in 0..<columns { out[i * columns + j] = gain * Float(qt[j * rows + i]) }
          }
        } else {
          // Qᵀ: row i of the output is column i of Q.
          for k in 0..<(rows * columns) { out[k] = gain * Float(qt[k]) }
        }
      }
    }
  }

  /// `{"seed", "gain"}`.
  public func getConfig() -> ConfigValue { ["seed": .seed(seed), "gain": .number(gain)] }
}
