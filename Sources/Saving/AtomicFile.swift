import Foundation
import SwiftKerasCore
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The one way SwiftKeras writes a file: to a temporary file beside the destination,
/// flushed to disk (`fsync`), then renamed over the destination. A crash or an error at
/// any point leaves the previous file untouched; the temporary file is removed on every
/// error path, and one left behind by a killed process is removed by the next write to
/// the same destination.
///
/// The destination's folder must exist (as for Keras's `model.save`); callbacks that
/// write into folders of their own, such as ``ModelCheckpoint``, create them first.
/// Every failure reads `cannot write '<path>': <reason>` and has kind `.io`.
public enum AtomicFile {
  /// Test hook: called after the temporary file is written and synced, before the
  /// rename. Throwing here simulates a failure in the middle of a save.
  static let beforeRename = Mutex<(@Sendable (URL) throws -> Void)?>(nil)

  /// Writes `data` to `url` atomically.
  ///
  /// - Throws: ``SwiftKerasError`` (`.io`) when the file cannot be written, synced or
  ///   renamed into place.
  public static func write(_ data: Data, to url: URL) throws {
    try write(to: url.path) { temporary in
      let descriptor = open(temporary, O_WRONLY | O_TRUNC)
      guard descriptor >= 0 else { throw ioError(url.path) }
      defer { close(descriptor) }
      try data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
        var offset = 0
        while offset < buffer.count {
          let written = Foundation.write(
            descriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
          if written < 0 {
            if errno == EINTR { continue }
            throw ioError(url.path)
          }
          offset += written
        }
      }
    }
  }

  /// Runs `body` to fill a temporary file beside `path` (for writers that need a file of
  /// their own, such as HDF5), then syncs it and renames it over `path`.
  ///
  /// - Throws: what `body` throws, or ``SwiftKerasError`` (`.io`) when the destination is
  ///   a folder, its folder is missing or not writable, or the rename fails.
  public static func write(to path: String, using body: (_ temporary: String) throws -> Void)
    throws
  {
    let destination = URL(fileURLWithPath: path)
    let folder = destination.deletingLastPathComponent().path
    func failure(_ reason: String) -> SwiftKerasError {
      SwiftKerasError(.io, "cannot write '\(path)': \(reason)")
    }
    var isFolder: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
      throw failure("it is a folder")
    }
    guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder),
      isFolder.boolValue
    else {
      throw failure("folder '\(folder)' does not exist")
    }
    removeStaleTemporaries(of: destination)
    let temporary = "\(folder)/\(temporaryPrefix(of: destination))\(UUID().uuidString)"
    // Claim the name first, so the error for an unwritable folder is the system's own.
    let claim = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o644)
    guard claim >= 0 else { throw failure(String(cString: strerror(errno))) }
    close(claim)
    do {
      try body(temporary)
      try sync(temporary, failure: failure)
      try beforeRename.withLock { try $0?(URL(fileURLWithPath: temporary)) }
      guard rename(temporary, path) == 0 else { throw failure(String(cString: strerror(errno))) }
    } catch {
      unlink(temporary)
      throw error
    }
    // Make the rename itself durable.
    let folderDescriptor = open(folder, O_RDONLY)
    if folderDescriptor >= 0 {
      fsync(folderDescriptor)
      close(folderDescriptor)
    }
  }

  /// Creates `folder` and its parents when missing, as callbacks that write into folders
  /// of their own do before saving (Keras's `ModelCheckpoint` and `BackupAndRestore`).
  ///
  /// - Throws: ``SwiftKerasError`` (`.io`) naming the folder and the reason.
  public static func createFolder(_ folder: URL) throws {
    do {
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    } catch {
      throw SwiftKerasError(
        .io, "cannot create folder '\(folder.path)': \(error.localizedDescription)")
    }
  }

  /// The `.io` error for `path` with the reason `errno` gives.
  private static func ioError(_ path: String) -> SwiftKerasError {
    SwiftKerasError(.io, "cannot write '\(path)': \(String(cString: strerror(errno)))")
  }

  /// The name every temporary file of `destination` starts with.
  static func temporaryPrefix(of destination: URL) -> String {
    ".\(destination.lastPathComponent).swiftkeras-tmp-"
  }

  /// Removes temporary files a killed earlier write to `destination` left behind.
  private static func removeStaleTemporaries(of destination: URL) {
    let folder = destination.deletingLastPathComponent()
    let prefix = temporaryPrefix(of: destination)
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else {
      return
    }
    for name in names where name.hasPrefix(prefix) {
      unlink(folder.appendingPathComponent(name).path)
    }
  }

  private static func sync(_ path: String, failure: (String) -> SwiftKerasError) throws {
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else { throw failure(String(cString: strerror(errno))) }
    defer { close(descriptor) }
    guard fsync(descriptor) == 0 else { throw failure(String(cString: strerror(errno))) }
  }
}
