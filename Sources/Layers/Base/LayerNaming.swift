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

  /// `BatchNormalization` → `batch_normalization`, `GlobalAveragePooling1D` →
  /// `global_average_pooling1d`, `ReLU` → `re_lu`, as Keras's `to_snake_case`.
  package static func snakeCase(_ name: String) -> String {
    // Keras: insert _ before an uppercase letter that follows a lowercase letter or digit,
    // and between an uppercase run and a following capitalised word.
    let chars = Array(name)
    var out = ""
    for (i, c) in chars.enumerated() {
      if c.isUppercase && i > 0 {
        let prev = chars[i - 1]
        let nextIsLower = i + 1 < chars.count && chars[i + 1].isLowercase
        if prev.isLowercase || (prev.isUppercase && nextIsLower) { out += "_" }
      }
      out += c.lowercased()
    }
    return out
  }
}

/// Resets automatic layer naming so the next `Dense` is called `dense` again, as
/// `keras.backend.clear_session()`.
public func clearSession() {
  LayerNaming.reset()
}
