import SwiftKerasCore

/// Converts IDX element bytes to floats, the one kernel behind every IDX-to-tensor path.
enum IDXConversion {
  /// `Float(v)` and `Float(v) / 255` for every byte value: exact and branch-free.
  static let uint8Values: [Float] = (0...255).map { Float($0) }
  static let uint8UnitValues: [Float] = (0...255).map { Float($0) / 255 }

  /// Converts `count` big-endian elements of `type` at `source` into `destination`,
  /// dividing by 255 when `scaledToUnit` is set.
  static func convert(
    _ type: IDXDataType, from source: UnsafeRawPointer, count: Int,
    into destination: UnsafeMutablePointer<Float>, scaledToUnit: Bool
  ) {
    switch type {
    case .uint8:
      let table = scaledToUnit ? uint8UnitValues : uint8Values
      table.withUnsafeBufferPointer { lut in
        let bytes = source.assumingMemoryBound(to: UInt8.self)
        for i in 0..<count { destination[i] = lut[Int(bytes[i])] }
      }
      return
    case .int8:
      for i in 0..<count { destination[i] = Float(Int8.readBigEndian(from: source, at: i)) }
    case .int16:
      for i in 0..<count { destination[i] = Float(Int16.readBigEndian(from: source, at: i)) }
    case .int32:
      for i in 0..<count { destination[i] = Float(Int32.readBigEndian(from: source, at: i)) }
    case .float32:
      for i in 0..<count { destination[i] = Float.readBigEndian(from: source, at: i) }
    case .float64:
      for i in 0..<count { destination[i] = Float(Double.readBigEndian(from: source, at: i)) }
    }
    if scaledToUnit {
      for i in 0..<count { destination[i] /= 255 }
    }
  }
}
