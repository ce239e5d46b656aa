// Initializers whose values do not depend on any random generator.

/// An initializer without arguments whose every element is one fixed value
/// (``Zeros``, ``Ones``): the fill and the empty config are the same for all of them.
public protocol FixedValueInitializer: Initializer {
  /// The value of every element.
  static var fillValue: Float { get }
}

extension FixedValueInitializer {
  /// A tensor of `shape` filled with ``fillValue``.
  public func callAsFunction(shape: [Int], generator: inout RandomGenerator) -> Tensor {
    Tensor(repeating: Self.fillValue, shape: shape)
  }

  /// `{}`.
  public func getConfig() -> ConfigValue { [:] }
}

/// All zeros, as `keras.initializers.Zeros`.
public struct Zeros: FixedValueInitializer, Sendable {
  /// Creates the initializer.
  public init() {}
  /// Keras's class name, `"Zeros"`.
  public var name: String { "Zeros" }
  /// 0.
  public static var fillValue: Float { 0 }
}

/// All ones, as `keras.initializers.Ones`.
public struct Ones: FixedValueInitializer, Sendable {
  /// Creates the initializer.
  public init() {}
  /// Keras's class name, `"Ones"`.
  public var name: String { "Ones" }
  /// 1.
  public static var fillValue: Float { 1 }
}

/// Every element equal to `value`, as `keras.initializers.Constant`.
public struct Constant: Initializer, Sendable {
  /// The value of every element.
  public var value: Float

  /// Creates the initializer.
  public init(value: Float = 0) {
    self.value = value
  }

  /// Keras's class name, `"Constant"`.
  public var name: String { "Constant" }

  /// A tensor of `shape` with this initializer's values.
  public func callAsFunction(shape: [Int], generator: inout RandomGenerator) -> Tensor {
    Tensor(repeating: value, shape: shape)
  }

  /// `{"value"}`.
  public func getConfig() -> ConfigValue { ["value": .number(value)] }
}

/// `gain` times the identity matrix (ones on the main diagonal of a possibly
/// rectangular matrix), as `keras.initializers.Identity`.
public struct Identity: Initializer, Sendable {
  /// The value on the diagonal.
  public var gain: Float

  /// Creates the initializer.
  public init(gain: Float = 1) {
    self.gain = gain
  }

  /// Keras's class name, `"Identity"`.
  public var name: String { "Identity" }

  /// Accepts matrices only.
  public func validate(shape: [Int]) throws {
    try checkExtents(shape, initializer: name)
    guard shape.count == 2 else {
      throw SwiftKerasError(
        .invalidArgument,
        "Identity initializer: needs a 2-D shape, got \(shape) of rank \(shape.count)")
    }
  }

  /// `gain` on the main diagonal of a `shape` matrix, zeros elsewhere.
  ///
  /// - Precondition: `shape` has rank 2.
  public func callAsFunction(shape: [Int], generator: inout RandomGenerator) -> Tensor {
    precondition(
      shape.count == 2, "Identity initializer: needs a 2-D shape, got \(shape)")
    let (rows, columns) = (shape[0], shape[1])
    var result = Tensor(repeating: 0, shape: shape)
    result.withUnsafeMutableBufferPointer { buffer in
      for i in 0..<Swift.min(rows, columns) { buffer[i * columns + i] = gain }
    }
    return result
  }

  /// `{"gain"}`. (Keras 3.15's own `Identity.get_config()` leaves `gain` out and so
  /// loses it; Keras reads it back from this config.)
  public func getConfig() -> ConfigValue { ["gain": .number(gain)] }
}
