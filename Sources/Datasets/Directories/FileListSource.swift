import Foundation
import SwiftKerasCore

/// A dataset over listed files: element `i` reads file `i` (decoding happens only for the
/// files a pass reaches, so a folder larger than memory streams). When bad files are
/// skipped the source is a stream — a skipped file leaves no hole in a batch.
final class FileListSource: DatasetNode, @unchecked Sendable {
  let files: [URL]
  let labels: DataArray?
  let read: (URL) throws -> DataArray
  let policy: BadFilePolicy
  var depth: Int { 1 }

  init(
    files: [URL], labels: DataArray?, policy: BadFilePolicy,
    read: @escaping (URL) throws -> DataArray
  ) {
    self.files = files
    self.labels = labels
    self.policy = policy
    self.read = read
  }

  private var skips: Bool {
    if case .skip = policy { return true }
    return false
  }

  var cardinality: DatasetCardinality { skips ? .unknown : .finite(files.count) }

  private func element(_ index: Int) throws -> DatasetElement {
    DatasetElement(x: [try read(files[index])], y: labels.map { [$0.row(index)] } ?? [])
  }

  func randomAccess(_ context: IterationContext) throws -> RandomAccessElements? {
    guard !skips else { return nil }
    return RandomAccessElements(count: files.count, element: element)
  }

  func makeIterator(_ context: IterationContext) throws -> DatasetIterator {
    if let elements = try randomAccess(context) { return elements.iterator() }
    var position = 0
    return ClosureIterator { [self] in
      while position < files.count {
        defer { position += 1 }
        do {
          return try element(position)
        } catch let error as SwiftKerasError where error.kind == .invalidData {
          try policy.handle(error, item: files[position].path)
        }
      }
      return nil
    }
  }
}

extension Dataset {
  /// A directory source: listed files, then the per-pass shuffle and the batches, as
  /// Keras's `paths_and_labels_to_dataset` (a stream shuffles through `batchSize × 8`).
  static func directorySource(
    _ listing: ClassDirectory, labelMode: LabelMode?, batchSize: Int?, shuffle: Bool, seed: UInt64,
    policy: BadFilePolicy, context: String, read: @escaping (URL) throws -> DataArray
  ) throws -> Dataset {
    if let batchSize, batchSize <= 0 {
      throw SwiftKerasError(
        .invalidArgument, "\(context): batchSize must be positive, got \(batchSize)")
    }
    let labels = try labelMode.map { try listing.labelArray($0, context: context) }
    var data = Dataset(
      FileListSource(files: listing.files, labels: labels, policy: policy, read: read),
      isBatched: false, classNames: labelMode == nil ? nil : listing.classNames,
      filePaths: listing.files.map(\.path))
    if shuffle { data = data.shuffle(bufferSize: (batchSize ?? 128) * 8, seed: seed) }
    if let batchSize { data = data.batch(batchSize) }
    return data
  }
}
