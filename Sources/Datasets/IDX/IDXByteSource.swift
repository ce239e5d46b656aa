import CZlib
import Foundation
import SwiftKerasCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The decoded bytes of an IDX file, read front to back in pieces: either the file itself
/// or the output of a streaming gzip inflater.
///
/// Neither source ever holds the whole file: a raw file is read straight into the
/// caller's buffer and a gzip file goes through a fixed-size input window.
protocol IDXByteSource: AnyObject {
  /// The path, for error messages.
  var path: String { get }
  /// Whether the file is gzip-compressed.
  var isCompressed: Bool { get }
  /// The most decoded bytes the source can still deliver: exact for a raw file, the
  /// deflate format's limit (1032:1) for a gzip file.
  var remainingBound: Int { get }
  /// Fills `buffer` completely unless the data ends first; returns the bytes written.
  func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
  /// Releases the file and any decoder state.
  func close()
}

/// Opens `url` and returns a raw or gzip byte source depending on its first two bytes.
func openIDXByteSource(_ url: URL) throws -> IDXByteSource {
  let path = url.path
  // O_NONBLOCK keeps a FIFO from blocking the open; it is rejected below.
  let fd = open(path, O_RDONLY | O_NONBLOCK)
  if fd < 0 {
    let reason = errnoDescription()
    throw SwiftKerasError(.io, "IDX file '\(path)': cannot open (\(reason))")
  }
  var info = stat()
  guard fstat(fd, &info) == 0 else {
    let reason = errnoDescription()
    posixClose(fd)
    throw SwiftKerasError(.io, "IDX file '\(path)': cannot stat (\(reason))")
  }
  if (info.st_mode & S_IFMT) == S_IFDIR {
    posixClose(fd)
    throw SwiftKerasError(.io, "IDX file '\(path)': is a directory, expected a file")
  }
  if (info.st_mode & S_IFMT) != S_IFREG {
    posixClose(fd)
    throw SwiftKerasError(.io, "IDX file '\(path)': is not a regular file")
  }
  let size = Int(info.st_size)
  var magic: [UInt8] = [0, 0]
  let got = magic.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 2, 0) }
  if got == 2 && magic[0] == 0x1F && magic[1] == 0x8B {
    do {
      return try GzipByteSource(fd: fd, path: path, fileSize: size)
    } catch {
      posixClose(fd)
      throw error
    }
  }
  return RawByteSource(fd: fd, path: path, fileSize: size)
}

/// Reads up to `count` bytes from `fd` into `buffer`, retrying short reads; returns the
/// bytes read (fewer only at end of file).
private func readFully(
  _ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int, path: String
) throws -> Int {
  var done = 0
  while done < count {
    // Large reads are split so a single call never exceeds what `read` accepts.
    let n = posixRead(fd, buffer + done, Swift.min(count - done, 1 << 30))
    if n < 0 {
      if errno == EINTR { continue }
      let reason = errnoDescription()
      throw SwiftKerasError(.io, "IDX file '\(path)': read failed (\(reason))")
    }
    if n == 0 { break }
    done += n
  }
  return done
}

/// An uncompressed IDX file read with `read(2)` straight into the destination.
final class RawByteSource: IDXByteSource {
  let path: String
  let isCompressed = false
  private var fd: Int32
  private var remaining: Int

  init(fd: Int32, path: String, fileSize: Int) {
    self.fd = fd
    self.path = path
    remaining = fileSize
  }

  var remainingBound: Int { remaining }

  func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
    guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
    let n = try readFully(fd, base, buffer.count, path: path)
    remaining = Swift.max(0, remaining - n)
    return n
  }

  func close() {
    if fd >= 0 { posixClose(fd) }
    fd = -1
  }

  deinit { close() }
}

/// A gzip-compressed IDX file, inflated as a stream through a fixed input window.
///
/// Concatenated gzip members (as `cat a.gz b.gz` makes) decode as one stream; the gzip
/// trailer's CRC and length are checked by zlib when a member ends.
final class GzipByteSource: IDXByteSource {
  let path: String
  let isCompressed = true
  private var fd: Int32
  private let stream: UnsafeMutablePointer<z_stream>
  private let window: UnsafeMutablePointer<UInt8>
  private let windowSize: Int
  private var inputEnded = false
  private var streamEnded = false
  private var compressedRemaining: Int
  private var decodedSoFar = 0
  private var membersEnded = 0

  init(fd: Int32, path: String, fileSize: Int) throws {
    self.fd = fd
    self.path = path
    compressedRemaining = fileSize
    stream = .allocate(capacity: 1)
    stream.initialize(to: z_stream())
    // A 256 KB input window, smaller for small files.
    windowSize = Swift.max(1, Swift.min(1 << 18, fileSize))
    window = .allocate(capacity: windowSize)
    // 15 + 32: the largest window, with automatic zlib/gzip header detection.
    let status = inflateInit2_(stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
    if status != Z_OK {
      stream.deinitialize(count: 1)
      stream.deallocate()
      window.deallocate()
      self.fd = -1
      throw SwiftKerasError(
        .io, "IDX file '\(path)': cannot start the gzip decoder (zlib status \(status))")
    }
  }

  var remainingBound: Int {
    // Deflate cannot expand data more than 1032:1; the slack covers tiny files.
    let (bound, overflow) = (compressedRemaining + Int(stream.pointee.avail_in))
      .multipliedReportingOverflow(by: 1032)
    return overflow ? Int.max : bound + 1024
  }

  private func refill() throws {
    let n = try readFully(fd, window, windowSize, path: path)
    compressedRemaining = Swift.max(0, compressedRemaining - n)
    if n == 0 { inputEnded = true }
    stream.pointee.next_in = window
    stream.pointee.avail_in = UInt32(n)
  }

  private func zlibMessage() -> String {
    if let message = stream.pointee.msg { return String(cString: message) }
    return "unknown error"
  }

  func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
    guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
    var produced = 0
    while produced < buffer.count && !streamEnded {
      if stream.pointee.avail_in == 0 && !inputEnded { try refill() }
      let want = Swift.min(buffer.count - produced, Int(UInt32.max))
      stream.pointee.next_out = (base + produced).assumingMemoryBound(to: UInt8.self)
      stream.pointee.avail_out = UInt32(want)
      let status = inflate(stream, Z_NO_FLUSH)
      let made = want - Int(stream.pointee.avail_out)
      produced += made
      decodedSoFar += made
      switch status {
      case Z_OK:
        continue
      case Z_STREAM_END:
        membersEnded += 1
        if stream.pointee.avail_in == 0 && !inputEnded { try refill() }
        if stream.pointee.avail_in == 0 {
          streamEnded = true
        } else {
          // Another gzip member follows.
          inflateReset(stream)
        }
      case Z_BUF_ERROR:
        if stream.pointee.avail_in == 0 && inputEnded {
          throw SwiftKerasError(
            .invalidData,
            "IDX file '\(path)': truncated gzip stream (the compressed data ends after "
              + "\(decodedSoFar) decoded bytes, before the end-of-stream marker)")
        }
        continue
      default:
        let what =
          membersEnded > 0 && made == 0
          ? "trailing garbage after the gzip stream" : "corrupt gzip stream"
        throw SwiftKerasError(
          .invalidData,
          "IDX file '\(path)': \(what) (zlib: \(zlibMessage()), after \(decodedSoFar) decoded bytes)"
        )
      }
    }
    return produced
  }

  func close() {
    if fd >= 0 {
      posixClose(fd)
      inflateEnd(stream)
      stream.deinitialize(count: 1)
      stream.deallocate()
      window.deallocate()
    }
    fd = -1
  }

  deinit { close() }
}
