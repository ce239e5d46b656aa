import SwiftKerasCore
import SwiftKerasDatasets

extension DatasetElement {
  /// The element as float tensors for a training step: bytes convert, strings throw.
  ///
  /// - Throws: ``SwiftKerasError`` naming `context` for strings or an unbatched element.
  public func trainingBatch(context: String) throws -> TrainingBatch {
    do {
      return TrainingBatch(
        x: try x.map { try $0.tensor() }, y: try y.map { try $0.tensor() },
        sampleWeight: try sampleWeight.map { try $0.tensor() })
    } catch let error as SwiftKerasError {
      throw SwiftKerasError(error.kind, "\(context): \(error.message)")
    }
  }
}

extension Dataset {
  /// Throws unless the dataset yields batches, as `fit`, `evaluate` and `predict` need.
  public func requireBatches(context: String) throws {
    guard isBatched else {
      throw SwiftKerasError(
        .invalidArgument,
        "\(context): the dataset yields single elements, not batches; call .batch(_:) on it first (as Keras needs for a tf.data.Dataset)"
      )
    }
  }
}
