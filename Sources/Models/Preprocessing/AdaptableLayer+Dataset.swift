import SwiftKerasCore
import SwiftKerasDatasets
import SwiftKerasLayers

extension AdaptableLayer {
  /// Learns the layer's state from the inputs of a ``Dataset`` (its first input array),
  /// one batch at a time, as Keras's `adapt(tf.data.Dataset)`: an unbatched dataset is
  /// read in batches of ``AdaptableLayer/unbatchedAdaptBatchSize`` (128 for
  /// Normalization), or element by element where Keras reads it so. Targets are ignored;
  /// the pass uses `seed` for unseeded random stages.
  ///
  /// ```swift
  /// let normalize = Normalization()
  /// try normalize.adapt(Dataset(x: xTrain, y: yTrain).batch(256))
  /// ```
  ///
  /// - Throws: ``SwiftKerasError`` for an infinite or empty dataset, string inputs, or
  ///   what the layer's `adapt(nextBatch:)` throws.
  public func adapt(_ dataset: Dataset, seed: UInt64 = 0) throws {
    guard dataset.cardinality != .infinite else {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(name)' (\(className)): adapt needs a finite dataset; take(_:) a part of a repeated one"
      )
    }
    var batched = dataset
    if !dataset.isBatched, let size = unbatchedAdaptBatchSize { batched = dataset.batch(size) }
    let iterator = try batched.makeIterator(seed: seed)
    try adapt(nextBatch: {
      guard let element = try iterator.next() else { return nil }
      guard let input = element.x.first else {
        throw SwiftKerasError(
          .invalidArgument,
          "layer '\(self.name)' (\(self.className)): adapt found a dataset element without inputs")
      }
      return try input.tensor()
    })
  }
}
