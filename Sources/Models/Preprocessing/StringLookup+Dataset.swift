import SwiftKerasCore
import SwiftKerasDatasets
import SwiftKerasLayers

extension StringLookup {
  /// Learns the vocabulary from the string inputs of a ``Dataset`` (its first input
  /// array), as Keras's `adapt(tf.data.Dataset)`: each element is a batch whose rows are
  /// documents (an unbatched string element is one document). Targets are ignored.
  ///
  /// - Throws: ``SwiftKerasError`` for an infinite dataset, numeric inputs, or what
  ///   ``adapt(batches:)`` throws.
  public func adapt(_ dataset: Dataset, seed: UInt64 = 0) throws {
    guard dataset.cardinality != .infinite else {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(name)' (StringLookup): adapt needs a finite dataset; take(_:) a part of a repeated one"
      )
    }
    var batches: [StringTensor] = []
    let iterator = try dataset.makeIterator(seed: seed)
    while let element = try iterator.next() {
      guard let input = element.x.first else {
        throw SwiftKerasError(
          .invalidArgument, "layer '\(name)' (StringLookup): a dataset element has no inputs")
      }
      batches.append(try StringTensor(input))
    }
    try adapt(batches: batches)
  }
}
