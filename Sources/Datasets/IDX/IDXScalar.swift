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

/// How every IDX type is read and written: its bit pattern, an unsigned integer of its
/// width, stored big-endian at `width * index`. A conforming type supplies only the
/// conversion to and from those bits.
public protocol IDXBitPatternScalar: IDXScalar {
  /// The unsigned integer of the type's width.
  associatedtype IDXBits: FixedWidthInteger & UnsignedInteger
  /// The value of these bits.
  init(idxBits: IDXBits)
  /// The value's bits.
  var idxBits: IDXBits { get }
}

extension IDXBitPatternScalar {
  /// Reads the big-endian element at `index`.
  @inlinable
  public static func readBigEndian(from bytes: UnsafeRawPointer, at index: Int) -> Self {
    let offset = MemoryLayout<IDXBits>.size * index
    return Self(
      idxBits: IDXBits(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: IDXBits.self)))
  }
  /// Writes this value big-endian as element `index`.
  @inlinable
  public func writeBigEndian(to bytes: UnsafeMutableRawPointer, at index: Int) {
    let offset = MemoryLayout<IDXBits>.size * index
    bytes.storeBytes(of: idxBits.bigEndian, toByteOffset: offset, as: IDXBits.self)
  }
}

extension IDXBitPatternScalar where Self: FixedWidthInteger {
  /// The integer of these bits (two's complement for signed types).
  @inlinable
  public init(idxBits: IDXBits) { self.init(truncatingIfNeeded: idxBits) }
  /// The integer's bits.
  @inlinable
  public var idxBits: IDXBits { IDXBits(truncatingIfNeeded: self) }
}

extension UInt8: IDXBitPatternScalar {
  /// ``IDXDataType/uint8``.
  public static var idxDataType: IDXDataType { .uint8 }
  /// Stored as its bit pattern.
  public typealias IDXBits = UInt8
}

extension Int8: IDXBitPatternScalar {
  /// ``IDXDataType/int8``.
  public static var idxDataType: IDXDataType { .int8 }
  /// Stored as its bit pattern.
  public typealias IDXBits = UInt8
}

extension Int16: IDXBitPatternScalar {
  /// ``IDXDataType/int16``.
  public static var idxDataType: IDXDataType { .int16 }
  /// Stored as its bit pattern.
  public typealias IDXBits = UInt16
}

extension Int32: IDXBitPatternScalar {
  /// ``IDXDataType/int32``.
  public static var idxDataType: IDXDataType { .int32 }
  /// Stored as its bit pattern.
  public typealias IDXBits = UInt32
}

extension Float: IDXBitPatternScalar {
  /// ``IDXDataType/float32``.
  public static var idxDataType: IDXDataType { .float32 }
  /// The float of these bits.
  @inlinable
  public init(idxBits: UInt32) { self.init(bitPattern: idxBits) }
  /// The float's bits.
  @inlinable
  public var idxBits: UInt32 { bitPattern }
}

extension Double: IDXBitPatternScalar {
  /// ``IDXDataType/float64``.
  public static var idxDataType: IDXDataType { .float64 }
  /// The double of these bits.
  @inlinable
  public init(idxBits: UInt64) { self.init(bitPattern: idxBits) }
  /// The double's bits.
  @inlinable
  public var idxBits: UInt64 { bitPattern }
}
