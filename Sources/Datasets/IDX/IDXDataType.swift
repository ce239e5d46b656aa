/// The element type of an IDX file, identified by the third byte of its magic number.
///
/// IDX is the format of MNIST and Fashion-MNIST: a 4-byte magic number
/// (`0x00 0x00 type rank`), one big-endian `UInt32` extent per axis, then the elements in
/// row-major, big-endian order.
///
/// ```swift
/// let type = IDXDataType.uint8
/// print(type.rawValue, type.byteSize)   // 8 1
/// ```
public enum IDXDataType: UInt8, CaseIterable, Sendable, CustomStringConvertible {
  /// Unsigned bytes (type code `0x08`), the pixel and label type of MNIST.
  case uint8 = 0x08
  /// Signed bytes (type code `0x09`).
  case int8 = 0x09
  /// Signed 16-bit integers (type code `0x0B`).
  case int16 = 0x0B
  /// Signed 32-bit integers (type code `0x0C`).
  case int32 = 0x0C
  /// IEEE 754 single-precision floats (type code `0x0D`).
  case float32 = 0x0D
  /// IEEE 754 double-precision floats (type code `0x0E`).
  case float64 = 0x0E

  /// The number of bytes one element takes in the file.
  public var byteSize: Int {
    switch self {
    case .uint8, .int8: return 1
    case .int16: return 2
    case .int32, .float32: return 4
    case .float64: return 8
    }
  }

  /// The type's name, as `"uint8"` or `"float32"`.
  public var description: String {
    switch self {
    case .uint8: return "uint8"
    case .int8: return "int8"
    case .int16: return "int16"
    case .int32: return "int32"
    case .float32: return "float32"
    case .float64: return "float64"
    }
  }

  /// The valid type codes, for error messages.
  static var validCodesDescription: String {
    allCases.map { "0x" + hexByte($0.rawValue) + " (\($0))" }.joined(separator: ", ")
  }
}

/// Two upper-case hex digits of a byte.
func hexByte(_ byte: UInt8) -> String {
  let digits = Array("0123456789ABCDEF")
  return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
}
