/// A Swift number type that is stored as one of the ``IDXDataType``s.
///
/// `UInt8`, `Int8`, `Int16`, `Int32`, `Float` and `Double` conform; use them with
/// ``IDXArray/init(shape:values:)`` and ``IDXArray/values(as:)``.
///
/// ```swift
/// let array = try IDXArray(shape: [2], values: [Int16(-3), 300])
/// print(array.dataType)                     // int16
/// print(try array.values(as: Int16.self))   // [-3, 300]
/// ```
public protocol IDXScalar {
  /// The IDX type this Swift type is stored as.
  static var idxDataType: IDXDataType { get }
  /// Reads the element at `index` from big-endian bytes.
  static func readBigEndian(from bytes: UnsafeRawPointer, at index: Int) -> Self
  /// Writes this value as element `index` in big-endian bytes.
  func writeBigEndian(to bytes: UnsafeMutableRawPointer, at index: Int)
}

extension UInt8: IDXScalar {
  /// ``IDXDataType/uint8``.
  public static var idxDataType: IDXDataType { .uint8 }
  /// Reads the byte at `index`.
  @inlinable
  public static func readBigEndian(from bytes: UnsafeRawPointer, at index: Int) -> UInt8 {
    bytes.load(fromByteOffset: index, as: UInt8.self)
  }
  /// Writes this byte at `index`.
  @inlinable
  public func writeBigEndian(to bytes: UnsafeMutableRawPointer, at index: Int) {
    bytes.storeBytes(of: self, toByteOffset: index, as: UInt8.self)
  }
}

extension Int8: IDXScalar {
  /// ``IDXDataType/int8``.
  public static var idxDataType: IDXDataType { .int8 }
  /// Reads the signed byte at `index`.
  @inlinable
  public static func readBigEndian(from bytes: UnsafeRawPointer, at index: Int) -> Int8 {
    Int8(bitPattern: bytes.load(fromByteOffset: index, as: UInt8.self))
  }
  /// Writes this signed byte at `index`.
  @inlinable
  public func writeBigEndian(to bytes: UnsafeMutableRawPointer, at index: Int) {
    bytes.storeBytes(of: UInt8(bitPattern: self), toByteOffset: index, as: UInt8.self)
  }
}

extension Int16: IDXScalar {
  /// ``IDXDataType/int16``.
  public static var idxDataType: IDXDataType { .int16 }
  /// Reads the big-endian 16-bit integer at element `index`.
  @inlinable
  public static func readBigEndian(from bytes: UnsafeRawPointer, at index: Int) -> Int16 {
    Int16(
      bitPattern: UInt16(bigEndian: bytes.loadUnaligned(fromByteOffset: 2 * index, as: UInt16.self))
    )
  }
  /// Writes this value big-endian as element `index`.
  @inlinable
  public func writeBigEndian(to bytes: UnsafeMutableRawPointer, at index: Int) {
    bytes.storeBytes(
      of: UInt16(bitPattern: self).bigEndian, toByteOffset: 2 * index, as: UInt16.self)
  }
}

extension Int32: IDXScalar {
  /// ``IDXDataType/int32``.
  public static var idxDataType: IDXDataType { .int32 }
  /// Reads the big-endian 32-bit integer at element `index`.
  @inlinable
  public static func readBigEndian(from bytes: UnsafeRawPointer, at index: Int) -> Int32 {
    Int32(
      bitPattern: UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: 4 * index, as: UInt32.self))
    )
  }
  /// Writes this value big-endian as element `index`.
  @inlinable
  public func writeBigEndian(to bytes: UnsafeMutableRawPointer, at index: Int) {
    bytes.storeBytes(
      of: UInt32(bitPattern: self).bigEndian, toByteOffset: 4 * index, as: UInt32.self)
  }
}

extension Float: IDXScalar {
  /// ``IDXDataType/float32``.
  public static var idxDataType: IDXDataType { .float32 }
  /// Reads the big-endian single-precision float at element `index`.
  @inlinable
  public static func readBigEndian(from bytes: UnsafeRawPointer, at index: Int) -> Float {
    Float(
      bitPattern: UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: 4 * index, as: UInt32.self))
    )
  }
  /// Writes this value big-endian as element `index`.
  @inlinable
  public func writeBigEndian(to bytes: UnsafeMutableRawPointer, at index: Int) {
    bytes.storeBytes(of: bitPattern.bigEndian, toByteOffset: 4 * index, as: UInt32.self)
  }
}

extension Double: IDXScalar {
  /// ``IDXDataType/float64``.
  public static var idxDataType: IDXDataType { .float64 }
  /// Reads the big-endian double-precision float at element `index`.
  @inlinable
  public static func readBigEndian(from bytes: UnsafeRawPointer, at index: Int) -> Double {
    Double(
      bitPattern: UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 8 * index, as: UInt64.self))
    )
  }
  /// Writes this value big-endian as element `index`.
  @inlinable
  public func writeBigEndian(to bytes: UnsafeMutableRawPointer, at index: Int) {
    bytes.storeBytes(of: bitPattern.bigEndian, toByteOffset: 8 * index, as: UInt64.self)
  }
}
