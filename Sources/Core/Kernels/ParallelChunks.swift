import Foundation

/// Splits compute-bound element-wise work across the processor's cores.
///
/// Only worth it for kernels that do many operations per element (`exp`): memory-bound
/// ones (add, relu) already run at copy bandwidth on one core, and small buffers would pay
/// more for the hand-off than they gain.
enum ParallelChunks {
  /// Cores the machine offers this process.
  static let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)

  /// Calls `body` with disjoint ranges covering `0..<count`, concurrently when `count`
  /// is at least `minimumPerChunk` elements per extra core. Range bounds are multiples of
  /// 64 elements so vector kernels keep their full-width loop.
  static func forEach(
    count: Int, minimumPerChunk: Int, _ body: (Range<Int>) -> Void
  ) {
    let chunks = min(cores, count / max(minimumPerChunk, 1))
    guard chunks > 1 else {
      body(0..<count)
      return
    }
    let perChunk = (count / chunks + 63) & ~63
    DispatchQueue.concurrentPerform(iterations: chunks) { index in
      let start = min(index * perChunk, count)
      let end = index == chunks - 1 ? count : min(start + perChunk, count)
      if start < end { body(start..<end) }
    }
  }
}
