import Synchronization

/// The cores the kernels may use while data-pipeline workers run beside them.
///
/// The machine this project targets has 2 cores. A `Dataset.prefetch` worker decoding and
/// batching on a third busy thread, while OpenBLAS and the convolution workers already
/// fill both cores, would make every step slower (time slicing, OpenBLAS's spinning
/// threads waiting on a descheduled peer). So a pipeline worker reserves one core while it
/// computes an element and returns it while it waits on a full queue: during that time
/// ``BLASThreads`` and ``ParallelChunks`` use one core fewer (never fewer than one).
///
/// Results do not depend on the count: convolution chunks and OpenBLAS's partitions of a
/// product are fixed by the shapes, only the number of threads running them changes.
package enum ComputeThreads {
  private static let reserved = Atomic<Int>(0)

  /// Reserves one core for a pipeline worker until ``release()``.
  package static func reserve() { reserved.wrappingAdd(1, ordering: .relaxed) }

  /// Returns a core taken with ``reserve()``.
  package static func release() { reserved.wrappingSubtract(1, ordering: .relaxed) }

  /// The cores currently reserved by pipeline workers.
  package static var reservedCount: Int { max(reserved.load(ordering: .relaxed), 0) }

  /// Of `total` cores, those the kernels may use now: at least one.
  static func available(of total: Int) -> Int { max(1, total - reservedCount) }
}
