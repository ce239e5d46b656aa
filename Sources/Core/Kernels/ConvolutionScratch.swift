import Foundation

/// Reusable, growing buffers for a convolution chunk's working memory (im2col's patch
/// matrices, Winograd's transformed tiles), so training steps do not allocate (and
/// page-fault in) megabytes per convolution.
///
/// There is one buffer per worker of ``ParallelChunks``; a caller that finds its buffer
/// busy (another thread in a convolution) gets a temporary allocation instead, so it is
/// safe but never contended.
final class ConvolutionScratch: @unchecked Sendable {
  /// One buffer per worker index of ``ParallelChunks/forEachChunk(_:_:)``.
  static let workers = (0..<ParallelChunks.cores).map { _ in ConvolutionScratch() }

  private let lock = NSLock()
  private var base: UnsafeMutablePointer<Float>?
  private var capacity = 0
  private var busy = false

  /// Runs `body` with room for at least `count` floats (contents undefined).
  func withBuffer<R>(count: Int, _ body: (UnsafeMutablePointer<Float>) throws -> R) rethrows -> R {
    lock.lock()
    if busy {
      lock.unlock()
      let temporary = TensorStorage(uninitializedCount: count)
      return try withExtendedLifetime(temporary) { try body(temporary.base) }
    }
    busy = true
    if capacity < count {
      if let base { UnsafeMutableRawPointer(base).deallocate() }
      let raw = UnsafeMutableRawPointer.allocate(
        byteCount: Swift.max(count, 1) * MemoryLayout<Float>.stride, alignment: 64)
      base = raw.bindMemory(to: Float.self, capacity: Swift.max(count, 1))
      capacity = count
    }
    let buffer = base!
    lock.unlock()
    defer {
      lock.lock()
      busy = false
      lock.unlock()
    }
    return try body(buffer)
  }
}
