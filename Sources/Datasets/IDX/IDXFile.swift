import CZlib
import Foundation
import SwiftKerasCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads and writes IDX files (the MNIST format), raw or gzip-compressed.
///
/// Reading detects gzip by its magic bytes (`1f 8b`) and inflates as a stream, straight
/// into the result: a file is never held compressed and decoded at once. Every problem
/// with a file (missing, not IDX, truncated, corrupt) throws a ``SwiftKerasError`` whose
/// message names the file.
///
/// ```swift
/// let url = FileManager.default.temporaryDirectory.appendingPathComponent("demo-idx1-ubyte.gz")
/// try IDXFile.write(try IDXArray(shape: [2, 2], values: [UInt8(0), 64, 128, 255]), to: url, compressed: true)
/// let array = try IDXFile.read(from: url)
/// print(array.shape, array.bytes)                        // [2, 2] [0, 64, 128, 255]
/// let pixels = try IDXFile.readTensor(from: url, scaledToUnit: true)   // Float in [0, 1]
/// ```
public enum IDXFile {
  /// Reads an IDX file (raw or gzip) into an ``IDXArray``.
  ///
  /// - Throws: ``SwiftKerasError`` `.io` if the file cannot be opened or read;
  ///   `.invalidData` if it is not a well-formed IDX file (wrong magic, unknown type code,
  ///   rank 0 or above 16, extents that overflow or exceed the data, truncated or trailing
  ///   data, corrupt or truncated gzip stream).
  ///
  /// - Parameter maximumDecodedBytes: the largest body accepted
  ///   (``RuntimeOptions/maximumTensorBytes`` by default); a header announcing more throws
  ///   before anything is allocated, whatever the size of the (compressed) file.
  public static func read(from url: URL, maximumDecodedBytes: Int? = nil) throws -> IDXArray {
    let source = try openIDXByteSource(url)
    defer { source.close() }
    let header = try IDXHeader.read(from: source)
    try checkSize(header, limit: maximumDecodedBytes, url: url)
    let bytes = try [UInt8](unsafeUninitializedCapacity: header.bodyByteCount) {
      buffer, initialized in
      try header.readBody(from: source, into: UnsafeMutableRawBufferPointer(buffer), offset: 0)
      initialized = header.bodyByteCount
    }
    try header.checkEnd(of: source)
    return IDXArray(validated: header.dataType, shape: header.shape, bytes: bytes)
  }

  /// Throws when the body `header` announces is larger than `limit` bytes (default
  /// ``RuntimeOptions/maximumTensorBytes``).
  private static func checkSize(_ header: IDXHeader, limit: Int?, url: URL) throws {
    let limit = limit ?? RuntimeOptions.current.maximumTensorBytes
    guard header.bodyByteCount <= limit else {
      throw SwiftKerasError(
        .invalidData,
        "IDX file '\(url.path)': shape \(header.shape) decodes to \(header.bodyByteCount) bytes, more than the limit of \(limit)"
      )
    }
  }

  /// Reads an IDX file (raw or gzip) at `path` into an ``IDXArray``.
  public static func read(from path: String) throws -> IDXArray {
    try read(from: URL(fileURLWithPath: path))
  }

  /// Reads an IDX file (raw or gzip) straight into a float tensor, converting as it
  /// decodes so the file's bytes are never held whole.
  ///
  /// - Parameter scaledToUnit: divides every value by 255 (maps `uint8` pixels into [0, 1]).
  /// - Throws: as ``read(from:)-(URL)``.
  public static func readTensor(
    from url: URL, scaledToUnit: Bool = false, maximumDecodedBytes: Int? = nil
  ) throws -> Tensor {
    let source = try openIDXByteSource(url)
    defer { source.close() }
    let header = try IDXHeader.read(from: source)
    try checkSize(header, limit: maximumDecodedBytes, url: url)
    _ = try RuntimeOptions.checkTensorSize(header.shape, of: "IDX file '\(url.path)'")
    let size = header.dataType.byteSize
    let chunkElements = Swift.max(1, Swift.min((1 << 16) / size, header.elementCount))
    let chunk = UnsafeMutableRawBufferPointer.allocate(
      byteCount: chunkElements * size, alignment: 16)
    defer { chunk.deallocate() }
    let tensor = try Tensor(shape: header.shape) { destination in
      var done = 0
      while done < header.elementCount {
        let n = Swift.min(chunkElements, header.elementCount - done)
        try header.readBody(
          from: source, into: UnsafeMutableRawBufferPointer(rebasing: chunk[0..<(n * size)]),
          offset: done * size)
        IDXConversion.convert(
          header.dataType, from: chunk.baseAddress!, count: n,
          into: destination.baseAddress! + done, scaledToUnit: scaledToUnit)
        done += n
      }
    }
    try header.checkEnd(of: source)
    return tensor
  }

  /// Reads an IDX file (raw or gzip) at `path` straight into a float tensor.
  public static func readTensor(from path: String, scaledToUnit: Bool = false) throws -> Tensor {
    try readTensor(from: URL(fileURLWithPath: path), scaledToUnit: scaledToUnit)
  }

  /// Writes `array` as an IDX file, gzip-compressed when `compressed` is set.
  ///
  /// The data goes to a temporary file in the same directory, which is then renamed over
  /// `url`, so readers never see a half-written file.
  ///
  /// - Throws: ``SwiftKerasError`` `.io` if the file cannot be written.
  public static func write(_ array: IDXArray, to url: URL, compressed: Bool = false) throws {
    let path = url.path
    let directory = url.deletingLastPathComponent().path
    let temporary =
      directory + "/." + url.lastPathComponent
      + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_TRUNC, 0o644)
    if fd < 0 {
      let reason = errnoDescription()
      throw SwiftKerasError(
        .io, "IDX file '\(path)': cannot create a temporary file in '\(directory)' (\(reason))")
    }
    var closed = false
    do {
      var header: [UInt8] = [0, 0, array.dataType.rawValue, UInt8(array.shape.count)]
      for extent in array.shape {
        let e = UInt32(extent)
        header += [
          UInt8(e >> 24), UInt8((e >> 16) & 0xFF), UInt8((e >> 8) & 0xFF), UInt8(e & 0xFF),
        ]
      }
      let sink: IDXByteSink =
        compressed ? try GzipByteSink(fd: fd, path: path) : RawByteSink(fd: fd, path: path)
      try header.withUnsafeBytes { try sink.write($0) }
      try array.bytes.withUnsafeBytes { try sink.write($0) }
      try sink.finish()
      closed = true
      if posixClose(fd) != 0 {
        let reason = errnoDescription()
        throw SwiftKerasError(.io, "IDX file '\(path)': closing failed (\(reason))")
      }
      if rename(temporary, path) != 0 {
        let reason = errnoDescription()
        throw SwiftKerasError(
          .io, "IDX file '\(path)': cannot move the finished file into place (\(reason))")
      }
    } catch {
      if !closed { posixClose(fd) }
      unlink(temporary)
      throw error
    }
  }

  /// Writes `array` as an IDX file at `path`, gzip-compressed when `compressed` is set.
  public static func write(_ array: IDXArray, to path: String, compressed: Bool = false) throws {
    try write(array, to: URL(fileURLWithPath: path), compressed: compressed)
  }
}
