import SwiftKerasCore
import SwiftKerasDatasets
import SwiftKerasLayers

extension Normalization {
  /// Learns the mean and variance from the inputs of a ``Dataset`` (its first input
  /// array), one batch at a time, as Keras's `adapt(tf.data.Dataset)`: an unbatched
  /// dataset is read in batches of 128, as Keras does. Targets are ignored; the pass
  /// uses `seed` for unseeded random stages.
  ///
  /// ```swift
  /// let normalize = Normalization()
  /// try normalize.adapt(Dataset(x: xTrain, y: yTrain).batch(256))
  /// ```
  ///
  /// - Throws: ``SwiftKerasError`` for an infinite or empty dataset, string inputs, or
  ///   what ``adapt(batches:)`` throws.
  public func adapt(_ dataset: Dataset, seed: UInt64 = 0) throws {
    guard dataset.cardinality != .infinite else {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(name)' (Normalization): adapt needs a finite dataset; take(_:) a part of a repeated one"
      )
    }
    let batched = dataset.isBatched ? dataset : dataset.batch(128)
    let iterator = try batched.makeIterator(seed: seed)
    try adapt(nextBatch: {
      guard let element = try iterator.next() else { return nil }
      guard let input = element.x.first else {
        throw SwiftKerasError(
          .invalidArgument,
          "layer '\(self.name)' (Normalization): adapt found a batch without inputs")
      }
      return try input.tensor()
    })
  }
}
