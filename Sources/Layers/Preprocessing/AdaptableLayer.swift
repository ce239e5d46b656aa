import SwiftKerasCore

/// A preprocessing layer whose state is learned from data before training, as Keras's
/// `layer.adapt(data)`: ``Normalization``, ``Discretization``. A `Dataset` is accepted
/// too (`adapt(_ dataset:)`, in SwiftKerasModels).
public protocol AdaptableLayer: Layer {
  /// Learns the state from the batches `nextBatch` returns until it returns nil, one at
  /// a time, as Keras's `adapt` on a dataset.
  func adapt(nextBatch: () throws -> Tensor?) throws
  /// The batch size Keras reads an unbatched dataset in when adapting (128 for
  /// Normalization), or nil when it reads such a dataset element by element.
  var unbatchedAdaptBatchSize: Int? { get }
}

extension AdaptableLayer {
  /// Learns the state from `data`, as Keras's `adapt` on an array.
  public func adapt(_ data: Tensor) throws {
    try adapt(batches: [data])
  }

  /// Learns the state from a sequence of batches, as Keras's `adapt` on a list of
  /// batches.
  public func adapt<Batches: Sequence<Tensor>>(batches: Batches) throws {
    var iterator = batches.makeIterator()
    try adapt(nextBatch: { iterator.next() })
  }
}
