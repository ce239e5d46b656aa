import Foundation

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

  nonisolated(unsafe) private static var idle: [Int: [UnsafeMutableRawPointer]] = [:]
  nonisolated(unsafe) private static var idleBytes = 0
  private static let lock = NSLock()

  /// A 64-byte aligned buffer of `bytes` bytes, reused when one is idle.
  static func allocate(bytes: Int) -> UnsafeMutableRawPointer {
    if bytes >= minimumBytes {
      lock.lock()
      if var list = idle[bytes], let pointer = list.popLast() {
        idle[bytes] = list
        idleBytes -= bytes
        lock.unlock()
        return pointer
      }
      lock.unlock()
    }
    return UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
  }

  /// Returns a buffer from ``allocate(bytes:)``; it is kept for reuse or freed.
  static func release(_ pointer: UnsafeMutableRawPointer, bytes: Int) {
    if bytes >= minimumBytes {
      lock.lock()
      let list = idle[bytes, default: []]
      if list.count < perSize && idleBytes + bytes <= capacityBytes {
        idle[bytes] = list + [pointer]
        idleBytes += bytes
        lock.unlock()
        return
      }
      lock.unlock()
    }
    pointer.deallocate()
  }

  /// Frees every idle buffer.
  static func drain() {
    lock.lock()
    for pointer in idle.values.joined() { pointer.deallocate() }
    idle = [:]
    idleBytes = 0
    lock.unlock()
  }
}
