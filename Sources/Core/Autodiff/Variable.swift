/// A named, mutable tensor that lives across steps: a layer's weight or an optimizer's
/// slot.
///
/// Reading ``value`` inside a ``GradientTape/record(_:)`` block watches a trainable
/// variable automatically, as TensorFlow does, so gradients with respect to a model's
/// weights need no explicit `watch`.
///
/// ```swift
/// let w = Variable(Tensor([1, 2]), name: "w")
/// let tape = GradientTape()
/// let loss = tape.record { (w.value * w.value).sum() }
/// let grad = tape.gradient(of: loss, wrt: [w])[0]   // [2, 4]
/// ```
public final class Variable {
  /// The element types a weights file stores a variable's values as.
  public enum StoredType: Sendable, Equatable {
    /// 32-bit floats, Keras's default.
    case float32
    /// 64-bit integers, as Keras's `dtype="int"` variables (values are rounded on writing).
    case int64
  }

  /// The variable's name, e.g. `"kernel"`.
  public var name: String
  /// Whether optimizers update this variable and tapes watch it automatically.
  public var trainable: Bool
  /// The element type weights files store the values as: `.float32`, or `.int64` for a
  /// counter Keras keeps as an integer variable (Normalization's `count`). The values are
  /// floats in memory either way.
  public var storedType: StoredType = .float32
  @usableFromInline var stored: Tensor

  /// Creates a variable holding `initialValue`.
  public init(_ initialValue: Tensor, name: String = "variable", trainable: Bool = true) {
    stored = initialValue.detached
    self.name = name
    self.trainable = trainable
  }

  /// The current value. Inside a recording tape, reads of a trainable (or watched)
  /// variable are tracked; assignments are never recorded.
  public var value: Tensor {
    get {
      guard let tape = TapeContext.current else { return stored }
      let key = ObjectIdentifier(self)
      let index: Int
      if let existing = tape.variableLeaves[key] {
        index = existing
      } else if trainable {
        index = tape.leafIndex(for: self)
      } else {
        return stored
      }
      var tracked = stored
      tracked.trace = TapeTrace(tapeID: tape.id, index: index)
      return tracked
    }
    set {
      precondition(
        newValue.shape == stored.shape,
        "Variable '\(name)': cannot assign a value of shape \(newValue.shape) to shape \(stored.shape)"
      )
      stored = newValue.detached
    }
  }

  /// The shape of the value.
  public var shape: [Int] { stored.shape }

  /// Replaces the value, allowing a new shape.
  public func assign(_ newValue: Tensor) {
    stored = newValue.detached
  }

  /// Updates the value in place (no copy when the buffer is not shared), for optimizers.
  @inlinable
  public func update<R>(_ body: (inout UnsafeMutableBufferPointer<Float>) throws -> R) rethrows
    -> R
  {
    try stored.withUnsafeMutableBufferPointer(body)
  }

  /// The value, never tracked by a tape.
  public var untrackedValue: Tensor { stored }
}
