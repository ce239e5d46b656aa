/// An n-dimensional array of `Float` values with value semantics.
///
/// A tensor is a shape (one extent per axis, row-major, contiguous) and a buffer of
/// `shape.reduce(1, *)` floats. Copies are cheap: two tensors share their buffer until
/// one of them is written to.
///
/// ```swift
/// let a = Tensor([[1, 2], [3, 4]])          // shape [2, 2]
/// let b = Tensor(shape: [2], scalars: [10, 20])
/// print(a + b)                              // broadcasting, as numpy
/// ```
///
/// Every differentiable operation records itself on the active ``GradientTape``, so
/// layers and losses are written as plain tensor code and get their gradients for free.
public struct Tensor {
  /// The extent of each axis; `[]` for a scalar.
  public internal(set) var shape: [Int]
  @usableFromInline package var storage: TensorStorage
  /// Where this value sits on a gradient tape, if one is recording it.
  @usableFromInline var trace: TapeTrace = .untracked
  /// For a softmax output, its logits (see ``softmaxLogits``).
  var softmaxOrigin: SoftmaxOrigin?

  @usableFromInline
  package init(shape: [Int], storage: TensorStorage) {
    self.shape = shape
    self.storage = storage
  }

  /// Creates a tensor of the given shape from row-major scalars.
  ///
  /// - Precondition: `scalars.count` equals the product of `shape`.
  public init(shape: [Int], scalars: [Float]) {
    let count = Tensor.elementCount(shape)
    precondition(
      scalars.count == count,
      "Tensor(shape:scalars:): shape \(shape) needs \(count) scalars, got \(scalars.count)")
    self.shape = shape
    storage = TensorStorage(uninitializedCount: count)
    scalars.withUnsafeBufferPointer { source in
      if let from = source.baseAddress { storage.base.initialize(from: from, count: count) }
    }
  }

  /// Creates a tensor of the given shape from scalars of any floating-point type.
  ///
  /// - Precondition: the sequence holds as many values as `shape` has elements.
  public init<S: Sequence>(shape: [Int], values: S) where S.Element: BinaryFloatingPoint {
    self.init(shape: shape, scalars: values.map { Float($0) })
  }

  /// Creates a tensor of the given shape from integers (class labels, indices).
  ///
  /// - Precondition: the sequence holds as many values as `shape` has elements.
  public init<S: Sequence>(shape: [Int], values: S) where S.Element: BinaryInteger {
    self.init(shape: shape, scalars: values.map { Float($0) })
  }

  /// Creates a scalar (rank-0) tensor.
  public init(_ value: Float) {
    self.init(shape: [], scalars: [value])
  }

  /// Creates a rank-1 tensor from an array.
  public init(_ scalars: [Float]) {
    self.init(shape: [scalars.count], scalars: scalars)
  }

  /// Creates a rank-2 tensor from rows of equal length.
  ///
  /// - Precondition: every row has the same length.
  public init(_ rows: [[Float]]) {
    let columns = rows.first?.count ?? 0
    precondition(
      rows.allSatisfy { $0.count == columns }, "Tensor(_:): rows have different lengths")
    self.init(shape: [rows.count, columns], scalars: rows.flatMap { $0 })
  }

  /// Creates a rank-3 tensor from nested arrays of equal lengths.
  public init(_ planes: [[[Float]]]) {
    let rows = planes.first?.count ?? 0
    let columns = planes.first?.first?.count ?? 0
    precondition(
      planes.allSatisfy { $0.count == rows && $0.allSatisfy { $0.count == columns } },
      "Tensor(_:): nested arrays have different lengths")
    self.init(shape: [planes.count, rows, columns], scalars: planes.flatMap { $0.flatMap { $0 } })
  }

  /// Creates a tensor filled with `value`.
  public init(repeating value: Float, shape: [Int]) {
    self.shape = shape
    storage = TensorStorage(repeating: value, count: Tensor.elementCount(shape))
  }

  /// Creates a tensor of the given shape whose contents the caller writes through `body`.
  public init(
    shape: [Int], initializingWith body: (UnsafeMutableBufferPointer<Float>) throws -> Void
  ) rethrows {
    let count = Tensor.elementCount(shape)
    self.shape = shape
    storage = TensorStorage(uninitializedCount: count)
    try body(UnsafeMutableBufferPointer(start: storage.base, count: count))
  }

  /// The number of axes.
  @inlinable public var rank: Int { shape.count }

  /// The number of elements (the product of the shape).
  @inlinable public var count: Int { storage.count }

  /// The elements in row-major order.
  public var scalars: [Float] {
    Array(UnsafeBufferPointer(start: storage.base, count: count))
  }

  /// The single element of a one-element tensor.
  ///
  /// - Precondition: the tensor has exactly one element.
  public var scalar: Float {
    precondition(count == 1, "Tensor.scalar: tensor of shape \(shape) has \(count) elements")
    return storage.base[0]
  }

  /// Reads the elements without copying.
  @inlinable
  public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R)
    rethrows -> R
  {
    try body(UnsafeBufferPointer(start: storage.base, count: count))
  }

  /// Writes the elements in place, copying the buffer first if it is shared.
  ///
  /// Writing in place detaches the tensor from any gradient tape.
  @inlinable
  public mutating func withUnsafeMutableBufferPointer<R>(
    _ body: (inout UnsafeMutableBufferPointer<Float>) throws -> R
  ) rethrows -> R {
    if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    trace = .untracked
    var buffer = UnsafeMutableBufferPointer(start: storage.base, count: count)
    return try body(&buffer)
  }

  /// Reads or writes one element by its multi-dimensional index.
  public subscript(index: [Int]) -> Float {
    get { storage.base[flatIndex(index)] }
    set {
      let offset = flatIndex(index)
      withUnsafeMutableBufferPointer { $0[offset] = newValue }
    }
  }

  /// Reads or writes one element by its multi-dimensional index.
  public subscript(index: Int...) -> Float {
    get { self[index] }
    set { self[index] = newValue }
  }

  private func flatIndex(_ index: [Int]) -> Int {
    precondition(
      index.count == rank, "Tensor subscript: index \(index) does not fit shape \(shape)")
    var offset = 0
    for (axis, i) in index.enumerated() {
      precondition(
        i >= 0 && i < shape[axis],
        "Tensor subscript: index \(index) out of range for shape \(shape)")
      offset = offset * shape[axis] + i
    }
    return offset
  }

  /// The product of the extents of `shape`.
  @inlinable
  /// The number of elements of `shape`, or nil when an extent is negative or the product
  /// does not fit an `Int`: the check for shapes that come from files and arguments.
  public static func checkedElementCount(_ shape: [Int]) -> Int? {
    var count = 1
    for extent in shape {
      guard extent >= 0 else { return nil }
      let (product, overflow) = count.multipliedReportingOverflow(by: extent)
      if overflow { return nil }
      count = product
    }
    return count
  }

  public static func elementCount(_ shape: [Int]) -> Int {
    var count = 1
    for extent in shape {
      precondition(extent >= 0, "Tensor: negative extent in shape \(shape)")
      count *= extent
    }
    return count
  }

  /// A tensor with the same value but no place on any gradient tape.
  ///
  /// Gradients do not flow through the result, as `tf.stop_gradient`.
  public var detached: Tensor {
    var copy = self
    copy.trace = .untracked
    return copy
  }
}

extension Tensor: ExpressibleByFloatLiteral {
  public init(floatLiteral value: Float) { self.init(value) }
}

extension Tensor: ExpressibleByIntegerLiteral {
  public init(integerLiteral value: Int) { self.init(Float(value)) }
}

extension Tensor: Equatable {
  /// Two tensors are equal when they have the same shape and the same elements.
  public static func == (lhs: Tensor, rhs: Tensor) -> Bool {
    guard lhs.shape == rhs.shape else { return false }
    if lhs.storage === rhs.storage { return true }
    for i in 0..<lhs.count where lhs.storage.base[i] != rhs.storage.base[i] { return false }
    return true
  }
}

// A tensor's buffer is never written while shared: a write copies it first when another
// tensor still refers to it (copy-on-write, with an atomic reference count), so tensors
// cross threads as arrays do.
extension Tensor: @unchecked Sendable {}
