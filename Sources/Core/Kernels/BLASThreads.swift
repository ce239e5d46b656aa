import COpenBLAS
import Foundation
import Synchronization

/// Chooses how many OpenBLAS threads a matrix product gets.
///
/// Waking OpenBLAS's thread pool costs more than small products save: on the seed MLP's
/// 32×784·784×128 product two threads made an epoch 2.5× slower than one. Small products
/// therefore run on the calling thread; large ones use every core.
enum BLASThreads {
  /// Products with fewer multiply-adds than this run single-threaded
  /// (``RuntimeOptions/blasParallelThreshold``).
  static var parallelThreshold: Int { RuntimeOptions.current.blasParallelThreshold }
  /// The thread count last given to OpenBLAS (-1 before the first product); reading it
  /// first spares the lock when nothing changes.
  private static let current = Atomic<Int32>(-1)
  private static let lock = Mutex(())
  static let available: Int32 = {
    if let text = ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"], let n = Int32(text),
      n > 0
    {
      return n
    }
    return max(Int32(openblas_get_num_procs()), 1)
  }()

  /// Sets the thread count for a product of `m × n × k` multiply-adds (one thread when
  /// `singleThreaded`).
  @inline(__always)
  static func prepare(m: Int, n: Int, k: Int, singleThreaded: Bool = false) {
    // The running fit's pipeline workers (Dataset.prefetch) hold cores (see ComputeThreads).
    let usable = Int32(ComputeThreads.availableForBLAS(of: Int(available)))
    let wanted: Int32 = !singleThreaded && m * n * k >= parallelThreshold ? usable : 1
    if wanted == current.load(ordering: .relaxed) { return }
    lock.withLock { _ in
      if wanted != current.load(ordering: .relaxed) {
        openblas_set_num_threads(wanted)
        current.store(wanted, ordering: .relaxed)
      }
    }
  }
}
