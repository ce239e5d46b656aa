import Foundation
import SwiftKerasCore

/// Reads the stages before it on one background thread, keeping up to `bufferSize`
/// elements ready.
final class PrefetchNode: DatasetNode, @unchecked Sendable {
  let upstream: any DatasetNode
  let bufferSize: Int
  init(_ upstream: any DatasetNode, bufferSize: Int) {
    self.upstream = upstream
    self.bufferSize = bufferSize
  }
  var depth: Int { upstream.depth + 1 }
  var cardinality: DatasetCardinality { upstream.cardinality }
  func makeIterator(_ context: IterationContext) throws -> DatasetIterator {
    PrefetchIterator(try upstream.iterator(context), capacity: bufferSize)
  }
}

/// The queue between a prefetch worker and the consumer.
private final class PrefetchQueue: @unchecked Sendable {
  let condition = NSCondition()
  var ready: [Result<DatasetElement?, any Error>] = []
  var cancelled = false
  let capacity: Int
  let upstream: DatasetIterator
  init(upstream: DatasetIterator, capacity: Int) {
    self.upstream = upstream
    self.capacity = capacity
  }

  /// The worker: reads upstream in order until the pass ends, an error, or cancellation.
  func produce() {
    while true {
      condition.lock()
      while ready.count >= capacity && !cancelled { condition.wait() }
      let stop = cancelled
      condition.unlock()
      if stop { return }
      // One core is the worker's while it computes (see ComputeThreads): the convolution
      // and element-wise workers leave it alone meanwhile.
      ComputeThreads.reserve()
      let result = Result { try upstream.next() }
      ComputeThreads.release()
      condition.lock()
      ready.append(result)
      condition.broadcast()
      condition.unlock()
      switch result {
      case .success(.some): continue
      default: return
      }
    }
  }
}

/// Hands out what the worker produced, in the order it read it: the order of the stages
/// before, whatever the timing.
final class PrefetchIterator: DatasetIterator {
  private let queue: PrefetchQueue
  private var finished = false

  init(_ upstream: DatasetIterator, capacity: Int) {
    queue = PrefetchQueue(upstream: upstream, capacity: capacity)
    super.init()
    let queue = self.queue
    let thread = Thread {
      // Linux's batch policy for the worker: its wake-ups do not preempt the training
      // thread (it runs when a core frees up), which on a busy 2-core machine otherwise
      // costs a step a time slice each time the worker is woken.
      var parameters = sched_param()
      parameters.sched_priority = 0
      let schedBatch: Int32 = 3  // SCHED_BATCH in <sched.h>, which Swift does not import
      _ = pthread_setschedparam(pthread_self(), schedBatch, &parameters)
      queue.produce()
    }
    thread.name = "SwiftKeras.Dataset.prefetch"
    thread.start()
  }

  override func next() throws -> DatasetElement? {
    if finished { return nil }
    queue.condition.lock()
    while queue.ready.isEmpty { queue.condition.wait() }
    let result = queue.ready.removeFirst()
    queue.condition.broadcast()
    queue.condition.unlock()
    switch result {
    case .success(let element):
      if element == nil { finished = true }
      return element
    case .failure(let error):
      finished = true
      throw error
    }
  }

  deinit {
    queue.condition.lock()
    queue.cancelled = true
    queue.condition.broadcast()
    queue.condition.unlock()
  }
}

extension Dataset {
  /// Prepares up to `bufferSize` elements ahead on one background thread while the model
  /// trains, as `tf.data.Dataset.prefetch`.
  ///
  /// One thread per prefetch, reading the stages before it in order, so the elements are
  /// the same as without it. Training and the pipeline together never ask for more cores
  /// than the machine has (2 here): while the thread computes an element the convolution
  /// and element-wise workers use one core fewer, and `fit`, `evaluate` and `predict`
  /// give OpenBLAS one thread fewer per prefetch for their whole run (a fixed count, since
  /// OpenBLAS's rounding depends on it; see ``workerThreads`` and Docs/Data.md).
  public func prefetch(_ bufferSize: Int) -> Dataset {
    guard bufferSize > 0 else {
      return appendingFailure("Dataset.prefetch: bufferSize must be positive, got \(bufferSize)")
    }
    return appending(PrefetchNode(node, bufferSize: bufferSize))
  }
}
