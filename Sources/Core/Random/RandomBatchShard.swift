/// Which rows of a larger batch the current training step holds, set by data-parallel
/// training on the training thread. A layer that draws one random value per sample
/// (Dropout) then draws for the whole batch and keeps this rank's rows, so N ranks drop
/// exactly the units one process training on the whole batch would.
package enum RandomBatchShard {
  /// This thread's shard: `rows` of a batch of `total` rows, or nil outside data-parallel
  /// training.
  package static let current = ThreadLocal<(rows: Range<Int>, total: Int)?>({ nil })
}
