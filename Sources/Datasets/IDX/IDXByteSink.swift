import CZlib
import SwiftKerasCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Where ``IDXFile/write(_:to:compressed:)-(_,URL,_)`` sends the bytes of a file: straight to
/// the file descriptor or through a streaming gzip deflater.
protocol IDXByteSink: AnyObject {
  /// Appends `bytes`.
  func write(_ bytes: UnsafeRawBufferPointer) throws
  /// Flushes whatever the sink still buffers.
  func finish() throws
}

/// Writes every byte of `buffer` to `fd`, retrying short writes.
private func writeFully(_ fd: Int32, _ buffer: UnsafeRawBufferPointer, path: String) throws {
  guard let base = buffer.baseAddress else { return }
  var done = 0
  while done < buffer.count {
    let n = posixWrite(fd, base + done, Swift.min(buffer.count - done, 1 << 30))
    if n < 0 {
      if errno == EINTR { continue }
      let reason = errnoDescription()
      throw SwiftKerasError(.io, "IDX file '\(path)': write failed (\(reason))")
    }
    done += n
  }
}

/// An uncompressed output file.
final class RawByteSink: IDXByteSink {
  private let fd: Int32
  private let path: String

  init(fd: Int32, path: String) {
    self.fd = fd
    self.path = path
  }

  func write(_ bytes: UnsafeRawBufferPointer) throws { try writeFully(fd, bytes, path: path) }
  func finish() throws {}
}

/// A gzip output stream (deflate with a gzip wrapper, `windowBits` 15 + 16).
final class GzipByteSink: IDXByteSink {
  private let fd: Int32
  private let path: String
  private let stream: UnsafeMutablePointer<z_stream>
  private let output: UnsafeMutableRawBufferPointer
  private var active = true

  init(fd: Int32, path: String, level: Int32 = Z_DEFAULT_COMPRESSION) throws {
    self.fd = fd
    self.path = path
    stream = .allocate(capacity: 1)
    stream.initialize(to: z_stream())
    output = .allocate(byteCount: 1 << 18, alignment: 16)
    let status = deflateInit2_(
      stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
      Int32(MemoryLayout<z_stream>.size))
    if status != Z_OK {
      active = false
      throw SwiftKerasError(
        .io, "IDX file '\(path)': cannot start the gzip encoder (zlib status \(status))")
    }
  }

  private func run(_ flush: Int32) throws {
    repeat {
      stream.pointee.next_out = output.baseAddress!.assumingMemoryBound(to: UInt8.self)
      stream.pointee.avail_out = UInt32(output.count)
      let status = deflate(stream, flush)
      if status == Z_STREAM_ERROR {
        throw SwiftKerasError(.io, "IDX file '\(path)': gzip encoder failed")
      }
      let made = output.count - Int(stream.pointee.avail_out)
      try writeFully(fd, UnsafeRawBufferPointer(rebasing: output[0..<made]), path: path)
      if flush == Z_FINISH && status == Z_STREAM_END { return }
    } while stream.pointee.avail_out == 0 || (flush == Z_FINISH)
  }

  func write(_ bytes: UnsafeRawBufferPointer) throws {
    guard let base = bytes.baseAddress else { return }
    var done = 0
    while done < bytes.count {
      let n = Swift.min(bytes.count - done, 1 << 30)
      stream.pointee.next_in = UnsafeMutablePointer(
        mutating: (base + done).assumingMemoryBound(to: UInt8.self))
      stream.pointee.avail_in = UInt32(n)
      try run(Z_NO_FLUSH)
      done += n
    }
  }

  func finish() throws {
    stream.pointee.next_in = nil
    stream.pointee.avail_in = 0
    try run(Z_FINISH)
  }

  deinit {
    if active { deflateEnd(stream) }
    stream.deinitialize(count: 1)
    stream.deallocate()
    output.deallocate()
  }
}
