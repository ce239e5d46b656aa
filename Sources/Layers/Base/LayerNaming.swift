import Foundation
import Synchronization

/// Keras's unique layer names: the snake_case class name, then `_1`, `_2`, … for later
/// layers of the same kind in this process.
package enum LayerNaming {
  private static let counters = Mutex<[String: Int]>([:])

  /// `prefix` the first time, then `prefix_1`, `prefix_2`, ….
  package static func uniqueName(for prefix: String) -> String {
    let count = counters.withLock { counters in
      defer { counters[prefix, default: 0] += 1 }
      return counters[prefix, default: 0]
    }
    return count == 0 ? prefix : "\(prefix)_\(count)"
  }

  /// Forgets every name handed out.
  package static func reset() { counters.withLock { $0 = [:] } }
}

/// Resets automatic layer naming so the next `Dense` is called `dense` again, as
/// `keras.backend.clear_session()`.
public func clearSession() {
  LayerNaming.reset()
}
