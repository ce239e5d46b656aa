import Foundation

/// Keras's unique layer names: the snake_case class name, then `_1`, `_2`, … for later
/// layers of the same kind in this process.
package enum LayerNaming {
  nonisolated(unsafe) private static var counters: [String: Int] = [:]
  private static let lock = NSLock()

  package static func uniqueName(for prefix: String) -> String {
    lock.lock()
    defer { lock.unlock() }
    let count = counters[prefix, default: 0]
    counters[prefix] = count + 1
    return count == 0 ? prefix : "\(prefix)_\(count)"
  }

  package static func reset() {
    lock.lock()
    counters = [:]
    lock.unlock()
  }
}

/// Resets automatic layer naming so the next `Dense` is called `dense` again, as
/// `keras.backend.clear_session()`.
public func clearSession() {
  LayerNaming.reset()
}
