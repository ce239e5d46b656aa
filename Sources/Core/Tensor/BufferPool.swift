import Foundation
import Synchronization

/// Recycles large tensor buffers by size.
///
/// A training step allocates the same shapes every time: activations, gradients, patch
/// matrices. Buffers of 64 KB and more would otherwise go back to the system and come
/// back as fresh pages on the next step (page faults showed as a third of a CNN epoch's
/// time in the kernel); here they wait, a few per size, for the next request of the same
/// size.
enum BufferPool {
  /// Buffers smaller than this are left to malloc, which recycles them well.
  static let minimumBytes = 64 * 1024
  /// At most this many idle buffers of one size.
  static let perSize = 8
  /// At most this many idle bytes in all.
  static let capacityBytes = 512 * 1024 * 1024

  /// A buffer the pool holds. Sendable because the pool hands each to one owner at a time.
  private struct Buffer: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer
  }

  /// Idle buffers by size, and their total bytes.
  private struct Idle {
    var buffers: [Int: [Buffer]] = [:]
    var bytes = 0
  }

  private static let idle = Mutex(Idle())

  /// A 64-byte aligned buffer of `bytes` bytes, reused when one is idle.
  static func allocate(bytes: Int) -> UnsafeMutableRawPointer {
    if bytes >= minimumBytes {
      let reused = idle.withLock { pool -> Buffer? in
        guard let buffer = pool.buffers[bytes]?.popLast() else { return nil }
        pool.bytes -= bytes
        return buffer
      }
      if let reused { return reused.pointer }
    }
    return UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
  }

  /// Returns a buffer from ``allocate(bytes:)``; it is kept for reuse or freed.
  static func release(_ pointer: UnsafeMutableRawPointer, bytes: Int) {
    if bytes >= minimumBytes {
      let buffer = Buffer(pointer: pointer)
      let kept = idle.withLock { pool -> Bool in
        guard pool.buffers[bytes, default: []].count < perSize,
          pool.bytes + bytes <= capacityBytes
        else { return false }
        pool.buffers[bytes, default: []].append(buffer)
        pool.bytes += bytes
        return true
      }
      if kept { return }
    }
    pointer.deallocate()
  }

  /// Frees every idle buffer.
  static func drain() {
    idle.withLock { pool in
      for buffer in pool.buffers.values.joined() { buffer.pointer.deallocate() }
      pool = Idle()
    }
  }
}
