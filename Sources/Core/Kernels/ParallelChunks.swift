import Foundation
import Synchronization

/// Spreads independent pieces of a kernel over the processor's cores.
///
/// Worth it for work that does many operations per element (`exp`) or runs matrix products
/// per piece (convolutions by image chunks): memory-bound loops (add, relu) already run at
/// copy bandwidth on one core, and small buffers would pay more for the hand-off than they
/// gain.
enum ParallelChunks {
  /// Cores the machine offers this process.
  static let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)

  /// Calls `body` with disjoint ranges covering `0..<count`, concurrently when `count`
  /// is at least `minimumPerChunk` elements per extra core. Range bounds are multiples of
  /// `alignment` (64 by default, so vector kernels keep their full-width loop).
  static func forEach(
    count: Int, minimumPerChunk: Int, alignment: Int = 64, _ body: (Range<Int>) -> Void
  ) {
    let chunks = min(ComputeThreads.available(of: cores), count / max(minimumPerChunk, 1))
    guard chunks > 1 else {
      body(0..<count)
      return
    }
    let step = max(alignment, 1)
    let perChunk = (count / chunks + step - 1) / step * step
    withoutActuallyEscaping(body) { body in
      let shared = DisjointWork(body)
      DispatchQueue.concurrentPerform(iterations: chunks) { index in
        let start = min(index * perChunk, count)
        let end = index == chunks - 1 ? count : min(start + perChunk, count)
        if start < end { shared.body(start..<end) }
      }
    }
  }

  /// Calls `body(chunk, worker)` once for every chunk in `0..<chunks`, on up to `cores`
  /// workers that each take the next chunk nobody has taken. `worker` (in `0..<cores`)
  /// names the calling worker, for per-worker scratch space.
  ///
  /// Which worker runs which chunk varies from run to run: to stay reproducible, `body`
  /// writes only to its chunk's own data, and partial results are combined per chunk in
  /// chunk order afterwards.
  static func forEachChunk(_ chunks: Int, _ body: (_ chunk: Int, _ worker: Int) -> Void) {
    let workers = min(ComputeThreads.available(of: cores), chunks)
    guard workers > 1 else {
      for chunk in 0..<chunks { body(chunk, 0) }
      return
    }
    let next = Atomic<Int>(0)
    withoutActuallyEscaping(body) { body in
      let shared = DisjointWork(body)
      DispatchQueue.concurrentPerform(iterations: workers) { worker in
        while true {
          let chunk = next.wrappingAdd(1, ordering: .relaxed).oldValue
          if chunk >= chunks { return }
          shared.body(chunk, worker)
        }
      }
    }
  }
}

/// A kernel body that the cores run at once. Sendable by the contract of
/// ``ParallelChunks``: every call writes only its own chunk's data (disjoint ranges of
/// buffers the caller owns for the duration of the call) and reads shared data unchanged.
private struct DisjointWork<Body>: @unchecked Sendable {
  let body: Body
  init(_ body: Body) { self.body = body }
}
