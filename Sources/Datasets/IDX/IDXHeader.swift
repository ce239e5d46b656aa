import SwiftKerasCore

/// The decoded and validated header of an IDX file.
struct IDXHeader {
  /// The largest rank accepted; real files have 1 to 4 axes.
  static let maxRank = 16

  let dataType: IDXDataType
  let shape: [Int]
  /// The product of `shape`.
  let elementCount: Int
  /// `elementCount * dataType.byteSize`.
  let bodyByteCount: Int

  /// Reads and checks the magic number and extents from the start of `source`, and checks
  /// that the body it declares can fit in what the source still holds.
  static func read(from source: IDXByteSource) throws -> IDXHeader {
    let path = source.path
    func fail(_ problem: String) -> SwiftKerasError {
      SwiftKerasError(.invalidData, "IDX file '\(path)': \(problem)")
    }
    let decoded = source.isCompressed ? "decompressed data" : "file"
    var magic = [UInt8](repeating: 0, count: 4)
    let got = try magic.withUnsafeMutableBytes { try source.read(into: $0) }
    if got < 4 {
      throw fail(
        "truncated header: the \(decoded) has \(got) bytes, an IDX header needs at least 4")
    }
    guard magic[0] == 0 && magic[1] == 0 else {
      throw fail(
        "wrong magic number: the first two bytes are 0x\(hexByte(magic[0])) 0x\(hexByte(magic[1])), "
          + "an IDX file starts with 0x00 0x00")
    }
    guard let dataType = IDXDataType(rawValue: magic[2]) else {
      throw fail(
        "unknown data type code 0x\(hexByte(magic[2])); valid: \(IDXDataType.validCodesDescription)"
      )
    }
    let rank = Int(magic[3])
    guard rank >= 1 && rank <= maxRank else {
      throw fail("unsupported rank \(rank); expected 1...\(maxRank) axes")
    }
    var extents = [UInt8](repeating: 0, count: 4 * rank)
    let gotExtents = try extents.withUnsafeMutableBytes { try source.read(into: $0) }
    if gotExtents < 4 * rank {
      throw fail(
        "truncated header: \(rank) axes need \(4 * rank) bytes of extents after the magic number, "
          + "the \(decoded) has only \(gotExtents)")
    }
    var shape: [Int] = []
    for axis in 0..<rank {
      var value = 0
      for k in 0..<4 { value = value << 8 | Int(extents[4 * axis + k]) }
      shape.append(value)
    }
    var count = 1
    var overflow = false
    for extent in shape {
      (count, overflow) = count.multipliedReportingOverflow(by: extent)
      if overflow { break }
    }
    var bytes = 0
    if !overflow { (bytes, overflow) = count.multipliedReportingOverflow(by: dataType.byteSize) }
    if overflow {
      throw fail(
        "shape \(shape) of \(dataType) overflows: its byte count does not fit in a 64-bit integer")
    }
    let bound = source.remainingBound
    if bytes > bound {
      if source.isCompressed {
        throw fail(
          "shape \(shape) of \(dataType) declares \(bytes) bytes of data, more than the compressed "
            + "file could decompress to (at most \(bound) bytes)")
      }
      throw fail(
        "truncated data: shape \(shape) of \(dataType) needs \(bytes) bytes after the header, "
          + "the file has only \(bound)")
    }
    if !source.isCompressed && bytes < bound {
      throw fail(
        "trailing garbage: \(bound - bytes) bytes follow the \(bytes) bytes of data declared by "
          + "shape \(shape) of \(dataType)")
    }
    return IDXHeader(dataType: dataType, shape: shape, elementCount: count, bodyByteCount: bytes)
  }

  /// Reads exactly `count` body bytes into `destination`, or throws naming the shortfall.
  func readBody(
    from source: IDXByteSource, into destination: UnsafeMutableRawBufferPointer, offset: Int
  ) throws {
    let got = try source.read(into: destination)
    if got < destination.count {
      let decoded = source.isCompressed ? "the decompressed data ends" : "the file ends"
      throw SwiftKerasError(
        .invalidData,
        "IDX file '\(source.path)': truncated data: shape \(shape) of \(dataType) needs "
          + "\(bodyByteCount) bytes, \(decoded) after \(offset + got)")
    }
  }

  /// Checks that nothing follows the body (for gzip this also lets zlib verify the
  /// trailer's checksum).
  func checkEnd(of source: IDXByteSource) throws {
    var probe: UInt8 = 0
    let extra = try withUnsafeMutableBytes(of: &probe) { try source.read(into: $0) }
    if extra > 0 {
      throw SwiftKerasError(
        .invalidData,
        "IDX file '\(source.path)': trailing garbage: the decompressed data continues after the "
          + "\(bodyByteCount) bytes declared by shape \(shape) of \(dataType)")
    }
  }
}
