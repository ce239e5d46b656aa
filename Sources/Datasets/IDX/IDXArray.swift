import SwiftKerasCore

/// The contents of an IDX file: its element type, its shape, and its elements as the
/// big-endian bytes the file stores.
///
/// For `uint8` data (MNIST pixels and labels) ``bytes`` are the values themselves.
///
/// ```swift
/// let labels = try IDXArray(shape: [3], values: [UInt8(7), 2, 1])
/// print(labels.tensor())                          // [7.0, 2.0, 1.0]
/// print(labels.tensor(scaledToUnit: true).shape)  // [3]
/// ```
public struct IDXArray: Equatable, Sendable {
  /// The element type.
  public let dataType: IDXDataType
  /// The extent of each axis (at least one axis).
  public let shape: [Int]
  /// The elements in row-major order, each stored big-endian in `dataType.byteSize`
  /// bytes, exactly as in the file.
  public let bytes: [UInt8]

  /// The number of elements (the product of ``shape``).
  public var count: Int { bytes.count / dataType.byteSize }

  /// Creates an array from big-endian element bytes.
  ///
  /// - Throws: ``SwiftKerasError`` `.invalidArgument` if the shape is empty, has more than
  ///   16 axes or a negative extent, or does not match the number of bytes.
  public init(dataType: IDXDataType, shape: [Int], bytes: [UInt8]) throws {
    let count = try IDXArray.checkedCount(shape)
    let needed = count.multipliedReportingOverflow(by: dataType.byteSize)
    guard !needed.overflow && needed.partialValue == bytes.count else {
      throw SwiftKerasError(
        .invalidArgument,
        "IDXArray: shape \(shape) of \(dataType) needs \(count) × \(dataType.byteSize) bytes, "
          + "got \(bytes.count)")
    }
    self.dataType = dataType
    self.shape = shape
    self.bytes = bytes
  }

  /// Creates an array without checking (the reader has validated the header).
  init(validated dataType: IDXDataType, shape: [Int], bytes: [UInt8]) {
    self.dataType = dataType
    self.shape = shape
    self.bytes = bytes
  }

  /// Creates an array of Swift numbers; the element type follows `T`.
  ///
  /// - Throws: ``SwiftKerasError`` `.invalidArgument` if `values.count` is not the product
  ///   of `shape`, or the shape is empty or has more than 16 axes.
  public init<T: IDXScalar>(shape: [Int], values: [T]) throws {
    let count = try IDXArray.checkedCount(shape)
    guard count == values.count else {
      throw SwiftKerasError(
        .invalidArgument, "IDXArray: shape \(shape) needs \(count) values, got \(values.count)")
    }
    let size = T.idxDataType.byteSize
    let bytes = [UInt8](unsafeUninitializedCapacity: count * size) { buffer, initialized in
      if let start = buffer.baseAddress {
        let base = UnsafeMutableRawPointer(start)
        for (i, value) in values.enumerated() { value.writeBigEndian(to: base, at: i) }
      }
      initialized = count * size
    }
    self.init(validated: T.idxDataType, shape: shape, bytes: bytes)
  }

  /// Converts a tensor to an array of `dataType`.
  ///
  /// - Throws: ``SwiftKerasError`` `.invalidArgument` if the tensor is a scalar (IDX needs
  ///   at least one axis), or, for an integer type, if an element is not a whole number
  ///   inside the type's range (the message names the first such element).
  public init(_ tensor: Tensor, dataType: IDXDataType) throws {
    let shape = tensor.shape
    _ = try IDXArray.checkedCount(shape)
    let values = tensor.scalars
    func integers<T: IDXScalar & FixedWidthInteger>(_: T.Type) throws -> [T] {
      var result: [T] = []
      result.reserveCapacity(values.count)
      for (i, v) in values.enumerated() {
        guard let exact = T(exactly: v) else {
          throw SwiftKerasError(
            .invalidArgument,
            "IDXArray: element \(i) of the tensor is \(v), which is not a whole number in "
              + "\(T.min)...\(T.max) as \(dataType) needs")
        }
        result.append(exact)
      }
      return result
    }
    switch dataType {
    case .uint8: try self.init(shape: shape, values: integers(UInt8.self))
    case .int8: try self.init(shape: shape, values: integers(Int8.self))
    case .int16: try self.init(shape: shape, values: integers(Int16.self))
    case .int32: try self.init(shape: shape, values: integers(Int32.self))
    case .float32: try self.init(shape: shape, values: values)
    case .float64: try self.init(shape: shape, values: values.map { Double($0) })
    }
  }

  /// The elements as Swift numbers of the array's own type.
  ///
  /// - Throws: ``SwiftKerasError`` `.invalidArgument` if `T` is not the array's element
  ///   type (reading `Int16` data as `Float` would reinterpret the bytes).
  public func values<T: IDXScalar>(as type: T.Type) throws -> [T] {
    guard T.idxDataType == dataType else {
      throw SwiftKerasError(
        .invalidArgument,
        "IDXArray.values(as:): the array holds \(dataType), requested \(T.self) (\(T.idxDataType))")
    }
    return bytes.withUnsafeBytes { raw in
      guard let base = raw.baseAddress else { return [] }
      return (0..<count).map { T.readBigEndian(from: base, at: $0) }
    }
  }

  /// The elements as a float tensor of the same shape.
  ///
  /// - Parameter scaledToUnit: divides every value by 255, which maps `uint8` pixel data
  ///   into [0, 1] (as `x / 255.0` in Keras examples).
  public func tensor(scaledToUnit: Bool = false) -> Tensor {
    Tensor(shape: shape) { destination in
      bytes.withUnsafeBytes { raw in
        guard let source = raw.baseAddress, let out = destination.baseAddress else { return }
        IDXConversion.convert(
          dataType, from: source, count: count, into: out, scaledToUnit: scaledToUnit)
      }
    }
  }

  /// The element count of `shape`, or an error if it is not a valid IDX shape.
  static func checkedCount(_ shape: [Int]) throws -> Int {
    guard !shape.isEmpty && shape.count <= IDXHeader.maxRank else {
      throw SwiftKerasError(
        .invalidArgument,
        "IDXArray: shape \(shape) has \(shape.count) axes; IDX stores 1...\(IDXHeader.maxRank)")
    }
    var count = 1
    for extent in shape {
      guard extent >= 0 && extent <= Int(UInt32.max) else {
        throw SwiftKerasError(
          .invalidArgument,
          "IDXArray: extent \(extent) in shape \(shape) is outside 0...\(UInt32.max)")
      }
      let (product, overflow) = count.multipliedReportingOverflow(by: extent)
      guard !overflow else {
        throw SwiftKerasError(.invalidArgument, "IDXArray: shape \(shape) has too many elements")
      }
      count = product
    }
    return count
  }
}
