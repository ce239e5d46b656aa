import Foundation
import SwiftKerasCore
import SwiftKerasLayers
import SwiftKerasModels
import SwiftKerasTraining

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes files atomically: the bytes go to a temporary file in the destination's
/// directory, are flushed to disk (`fsync`), and the temporary file is renamed over the
/// destination. A crash or error at any point leaves the previous file untouched.
public enum AtomicFile {
  /// Test hook: called after the temporary file is written and synced, before the
  /// rename. Throwing here simulates a failure in the middle of a save.
  nonisolated(unsafe) static var beforeRename: ((URL) throws -> Void)?

  /// Writes `data` to `url` atomically, creating the parent directory if needed.
  ///
  /// - Throws: ``SwiftKerasError`` (`.io`) when the directory cannot be created or the
  ///   file cannot be written, synced or renamed; the temporary file is removed then.
  public static func write(_ data: Data, to url: URL) throws {
    let directory = url.deletingLastPathComponent()
    do {
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    } catch {
      throw SwiftKerasError(.io, "cannot create directory '\(directory.path)': \(error)")
    }
    let temporary = directory.appendingPathComponent(
      ".\(url.lastPathComponent).tmp-\(UUID().uuidString)")
    let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
    guard descriptor >= 0 else {
      throw SwiftKerasError(.io, "cannot create '\(temporary.path)': errno \(errno)")
    }
    var closed = false
    do {
      try data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
        var offset = 0
        while offset < buffer.count {
          let written = Foundation.write(
            descriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
          if written < 0 {
            if errno == EINTR { continue }
            throw SwiftKerasError(.io, "cannot write '\(temporary.path)': errno \(errno)")
          }
          offset += written
        }
      }
      guard fsync(descriptor) == 0 else {
        throw SwiftKerasError(.io, "cannot sync '\(temporary.path)': errno \(errno)")
      }
      close(descriptor)
      closed = true
      try beforeRename?(temporary)
      guard rename(temporary.path, url.path) == 0 else {
        throw SwiftKerasError(
          .io, "cannot rename '\(temporary.path)' to '\(url.path)': errno \(errno)")
      }
    } catch {
      if !closed { close(descriptor) }
      unlink(temporary.path)
      throw error
    }
    // Make the rename itself durable.
    let directoryDescriptor = open(directory.path, O_RDONLY)
    if directoryDescriptor >= 0 {
      fsync(directoryDescriptor)
      close(directoryDescriptor)
    }
  }
}
