import Foundation
import SwiftKerasCore
import Synchronization

/// Where a ``Dataset/cache(file:memoryLimitBytes:)`` keeps the elements of its first
/// complete pass.
enum CacheStore {
  case memory([DatasetElement])
  case file(URL)
}

/// Keeps the first complete pass of the stages before it and replays it afterwards.
final class CacheNode: DatasetNode, @unchecked Sendable {
  let upstream: any DatasetNode
  let file: URL?
  let memoryLimitBytes: Int
  /// The stored pass, once one completed (shared by every iterator of this stage).
  let store = Mutex<CacheStore?>(nil)
  /// Temporary files this stage spilled to, removed when the pipeline goes away.
  let spills = Mutex<[URL]>([])
  init(_ upstream: any DatasetNode, file: URL?, memoryLimitBytes: Int) {
    self.upstream = upstream
    self.file = file
    self.memoryLimitBytes = memoryLimitBytes
    if let file, FileManager.default.fileExists(atPath: file.path) {
      store.withLock { $0 = .file(file) }
    }
  }
  var depth: Int { upstream.depth + 1 }
  var cardinality: DatasetCardinality { upstream.cardinality }

  deinit {
    for url in spills.withLock({ $0 }) {
      try? FileManager.default.removeItem(at: url)
      try? FileManager.default.removeItem(at: url.appendingPathExtension("partial"))
    }
  }

  func makeIterator(_ context: IterationContext) throws -> DatasetIterator {
    switch store.withLock({ $0 }) {
    case .memory(let elements):
      var position = 0
      return ClosureIterator {
        guard position < elements.count else { return nil }
        defer { position += 1 }
        return elements[position]
      }
    case .file(let url):
      let reader = try CacheFileReader(url)
      return ClosureIterator { try reader.next() }
    case nil:
      return try fillingIterator(context)
    }
  }

  /// Reads upstream and records what it reads; a pass that completes becomes the store.
  /// A partial pass (the consumer stopped early) is discarded, as tf.data does.
  private func fillingIterator(_ context: IterationContext) throws -> DatasetIterator {
    let source = try upstream.iterator(context)
    var memory: [DatasetElement] = []
    var memoryBytes = 0
    var writer: CacheFileWriter?
    var target: URL?
    if let file {
      writer = try CacheFileWriter(file.appendingPathExtension("partial"))
      target = file
    }
    let limit = memoryLimitBytes
    return ClosureIterator { [self] in
      guard let element = try source.next() else {
        if let writer, let target {
          try writer.finish(movingTo: target)
          store.withLock { if $0 == nil { $0 = .file(target) } }
        } else {
          store.withLock { if $0 == nil { $0 = .memory(memory) } }
        }
        return nil
      }
      if let writer {
        try writer.write(element)
      } else {
        memory.append(element)
        memoryBytes += element.arrays.reduce(0) { $0 + $1.approximateBytes }
        if memoryBytes > limit {
          // Over the memory budget: spill what is held to a temporary file and go on there.
          let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "swiftkeras-cache-\(UUID().uuidString).bin")
          spills.withLock { $0.append(url) }
          let spill = try CacheFileWriter(url.appendingPathExtension("partial"))
          for held in memory { try spill.write(held) }
          memory = []
          (writer, target) = (spill, url)
        }
      }
      return element
    }
  }
}

extension DataArray {
  /// The bytes the values take in memory.
  var approximateBytes: Int {
    switch storage {
    case .float: return count * 4
    case .bytes: return count
    case .strings(let values): return values.reduce(0) { $0 + $1.utf8.count + 16 }
    }
  }
}

extension Dataset {
  /// Keeps the elements of the first complete pass and replays them on later passes, as
  /// `tf.data.Dataset.cache`: decoding, parsing and maps before it then run once.
  ///
  /// - Parameters:
  ///   - file: keep the elements in this file instead of memory; a later program that
  ///     caches to the same file reads it instead of the stages before.
  ///   - memoryLimitBytes: in memory, past this many bytes the elements move to a
  ///     temporary file (4 GiB by default).
  ///
  /// Random stages before the cache are frozen at their first pass; shuffle after it.
  public func cache(file: String? = nil, memoryLimitBytes: Int = 4 << 30) -> Dataset {
    appending(
      CacheNode(
        node, file: file.map { URL(fileURLWithPath: $0) }, memoryLimitBytes: memoryLimitBytes))
  }
}
