import Synchronization

/// The cores the kernels may use while data-pipeline workers run beside them.
///
/// The machine this project targets has 2 cores. A `Dataset.prefetch` worker decoding and
/// batching on a third busy thread, while OpenBLAS and the convolution workers already
/// fill both cores, would make every step slower (time slicing, OpenBLAS's spinning
/// threads waiting on a descheduled peer). Two counts keep them apart without changing a
/// result:
///
/// - A pipeline worker ``reserve()``s a core while it computes an element and returns it
///   while it waits on a full queue. Meanwhile ``ParallelChunks`` (convolution chunks,
///   element-wise kernels) runs on one worker fewer, never fewer than one. Their results
///   do not depend on the worker count (chunks are fixed by the shapes, each writes its
///   own output), so this may follow the worker's timing.
/// - OpenBLAS's results do depend on its thread count (a product split over two threads
///   rounds differently), so ``BLASThreads`` follows a count that cannot depend on
///   timing: the pipeline workers of the `fit`, `evaluate` or `predict` that is running,
///   held for its whole duration (``withPipelineWorkers(_:_:)``).
package enum ComputeThreads {
  private static let computing = Atomic<Int>(0)
  private static let pipelineWorkers = Atomic<Int>(0)

  /// Reserves one core for a pipeline worker until ``release()``.
  package static func reserve() { computing.wrappingAdd(1, ordering: .relaxed) }

  /// Returns a core taken with ``reserve()``.
  package static func release() { computing.wrappingSubtract(1, ordering: .relaxed) }

  /// The cores currently reserved by computing pipeline workers.
  package static var reservedCount: Int { max(computing.load(ordering: .relaxed), 0) }

  /// Runs `body` (a training or evaluation run) with `workers` pipeline threads beside it:
  /// OpenBLAS uses that many threads fewer throughout.
  package static func withPipelineWorkers<R>(_ workers: Int, _ body: () throws -> R) rethrows
    -> R
  {
    pipelineWorkers.wrappingAdd(workers, ordering: .relaxed)
    defer { pipelineWorkers.wrappingSubtract(workers, ordering: .relaxed) }
    return try body()
  }

  /// Of `total` cores, those ``ParallelChunks`` may use now: at least one.
  package static func available(of total: Int) -> Int { max(1, total - reservedCount) }

  /// Of `total` threads, those OpenBLAS may use during the current run: at least one.
  package static func availableForBLAS(of total: Int) -> Int {
    max(1, total - max(pipelineWorkers.load(ordering: .relaxed), 0))
  }
}
