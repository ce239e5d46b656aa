import Foundation

/// A value of which every thread has its own copy, starting from a default. Built on a
/// pthread key because the standard library has no thread-local storage of its own.
package final class ThreadLocal<Value>: @unchecked Sendable {
  // Each thread reads and writes only its own box, so sharing the key is safe.
  private let key: pthread_key_t
  private let initial: @Sendable () -> Value

  private final class Box {
    var value: Value
    init(_ value: Value) { self.value = value }
  }

  /// A per-thread value starting at `initial()` on each thread.
  package init(_ initial: @escaping @Sendable () -> Value) {
    var key = pthread_key_t()
    pthread_key_create(&key) { pointer in
      guard let pointer else { return }
      Unmanaged<AnyObject>.fromOpaque(pointer).release()
    }
    self.key = key
    self.initial = initial
  }

  private var box: Box {
    if let pointer = pthread_getspecific(key) {
      return Unmanaged<Box>.fromOpaque(pointer).takeUnretainedValue()
    }
    let box = Box(initial())
    pthread_setspecific(key, Unmanaged.passRetained(box).toOpaque())
    return box
  }

  /// This thread's value.
  package var value: Value {
    get { box.value }
    set { box.value = newValue }
  }
}

/// The weight bytes a model config may still ask for on this thread, while one is being
/// loaded (``RuntimeOptions/maximumConfigWeightBytes``).
package enum WeightBudget {
  private static let remaining = ThreadLocal<Int?> { nil }

  /// Runs `body` with a budget of `bytes`, unless one is already running (nested models
  /// share their outer model's budget).
  package static func withBudget<R>(_ bytes: Int, _ body: () throws -> R) rethrows -> R {
    guard remaining.value == nil else { return try body() }
    remaining.value = bytes
    defer { remaining.value = nil }
    return try body()
  }

  /// Takes `bytes` from the running budget, if any.
  ///
  /// - Throws: ``SwiftKerasError`` naming `what` when the budget is spent.
  package static func charge(_ bytes: Int, for what: @autoclosure () -> String) throws {
    guard let left = remaining.value else { return }
    guard bytes <= left else {
      throw SwiftKerasError(
        .invalidData,
        "\(what()) needs \(bytes) bytes, beyond the \(RuntimeOptions.current.maximumConfigWeightBytes) bytes of weights a loaded config may ask for (RuntimeOptions.maximumConfigWeightBytes)"
      )
    }
    remaining.value = left - bytes
  }
}
