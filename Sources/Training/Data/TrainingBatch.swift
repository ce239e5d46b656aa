import SwiftKerasCore

/// Inputs, targets and optional sample weights, sample-aligned along the first axis: a
/// whole data set or one batch of it, as Keras's `(x, y, sample_weight)` tuples. A custom
/// `Model.trainStep(_:)` receives one.
public struct TrainingBatch {
  /// The inputs, in the model's input order.
  public var x: [Tensor]
  /// The targets, in the model's output order (empty for predict).
  public var y: [Tensor]
  /// One weight per sample, or nil.
  public var sampleWeight: Tensor?

  /// Inputs, targets and weights.
  public init(x: [Tensor], y: [Tensor] = [], sampleWeight: Tensor? = nil) {
    self.x = x
    self.y = y
    self.sampleWeight = sampleWeight
  }

  /// The number of samples.
  public var count: Int { x.first?.shape.first ?? 0 }

  /// Checks that every array has the same number of samples.
  public func validate(context: String) throws {
    guard !x.isEmpty else {
      throw SwiftKerasError(.invalidArgument, "\(context): no input arrays given")
    }
    for (i, tensor) in x.enumerated() where tensor.rank == 0 {
      throw SwiftKerasError(
        .shapeMismatch, "\(context): input \(i) is a scalar; expected a batch of samples")
    }
    let n = count
    for (i, tensor) in x.enumerated() where tensor.shape[0] != n {
      throw SwiftKerasError(
        .shapeMismatch,
        "\(context): input arrays have different numbers of samples: \(n) and \(tensor.shape[0]) (input \(i))"
      )
    }
    for (i, tensor) in y.enumerated() where tensor.rank == 0 || tensor.shape[0] != n {
      throw SwiftKerasError(
        .shapeMismatch,
        "\(context): x has \(n) samples but y\(y.count > 1 ? " \(i)" : "") has \(tensor.rank == 0 ? 0 : tensor.shape[0]) (shape \(tensor.shape))"
      )
    }
    guard n > 0 else {
      throw SwiftKerasError(.invalidArgument, "\(context): x has no samples")
    }
    if let sampleWeight {
      let shape = sampleWeight.shape
      guard shape.first == n, shape.count == 1 || (shape.count == 2 && shape[1] == 1) else {
        throw SwiftKerasError(
          .shapeMismatch,
          "\(context): sampleWeight must have shape [\(n)] (one weight per sample), got \(shape)")
      }
    }
  }

  /// The samples at `range`.
  /// The samples in `range`, without copying.
  public func slice(_ range: Range<Int>) -> TrainingBatch {
    TrainingBatch(
      x: x.map { $0[rows: range] }, y: y.map { $0[rows: range] },
      sampleWeight: sampleWeight.map { $0[rows: range] })
  }

  /// The samples at `indices`.
  /// The samples at `indices`, in that order.
  public func gather(_ indices: [Int]) -> TrainingBatch {
    TrainingBatch(
      x: x.map { $0.gathering(rows: indices) }, y: y.map { $0.gathering(rows: indices) },
      sampleWeight: sampleWeight.map { $0.gathering(rows: indices) })
  }

  /// Splits off the last `fraction` of the samples, as Keras's `validation_split`.
  /// The data before and after the split point Keras uses for `validation_split` (the
  /// last `fraction` of the samples, before any shuffling).
  public func split(validationFraction fraction: Double) -> (
    train: TrainingBatch, validation: TrainingBatch
  ) {
    let splitAt = Int((Double(count) * (1 - fraction)).rounded(.down))
    return (slice(0..<splitAt), slice(splitAt..<count))
  }
}

/// Keras's class weights turned into per-sample weights from the labels.
/// One weight per sample from Keras's `class_weight` (labels as indices or one-hot rows).
package func classSampleWeights(_ labels: Tensor, classWeight: [Int: Float]) throws -> Tensor {
  let n = labels.shape.first ?? 0
  let perSample = labels.count / Swift.max(n, 1)
  let values = labels.scalars
  var weights = [Float](repeating: 1, count: n)
  for i in 0..<n {
    let row = values[(i * perSample)..<((i + 1) * perSample)]
    let label: Int
    if perSample == 1 {
      label = Int((row.first ?? 0).rounded())
    } else {
      label = row.indices.max(by: { row[$0] < row[$1] }).map { $0 - i * perSample } ?? 0
    }
    guard let weight = classWeight[label] else {
      throw SwiftKerasError(
        .invalidArgument,
        "classWeight has no entry for class \(label); given classes: \(classWeight.keys.sorted().map(String.init).joined(separator: ", "))"
      )
    }
    weights[i] = weight
  }
  return Tensor(shape: [n], scalars: weights)
}
