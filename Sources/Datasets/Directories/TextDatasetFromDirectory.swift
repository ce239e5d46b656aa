import Foundation
import SwiftKerasCore

/// The `.txt` files of a folder with one sub-folder per class, as Keras's
/// `keras.utils.text_dataset_from_directory`: batches of strings (shape `[batch]`) and
/// their labels, listed, shuffled and split as ``imageDatasetFromDirectory(_:labelMode:classNames:colorMode:imageSize:batchSize:shuffle:validationSplit:subset:seed:cropToAspectRatio:onBadFile:)``.
///
/// ```swift
/// let reviews = try textDatasetFromDirectory("reviews/", batchSize: 16, seed: 3)
/// ```
///
/// A model cannot take strings: map them to numbers first (a vocabulary lookup).
///
/// - Parameters:
///   - maxLength: keep at most this many characters of each text (Keras cuts bytes, which
///     is the same for ASCII; a Swift string cannot end inside a UTF-8 sequence).
///   - onBadFile: throw naming a file that is not UTF-8 or an empty class folder, or
///     skip and count them.
public func textDatasetFromDirectory(
  _ directory: String, labelMode: LabelMode? = .int, classNames: [String]? = nil,
  batchSize: Int? = 32, maxLength: Int? = nil, shuffle: Bool = true,
  validationSplit: Double? = nil, subset: DatasetSubset? = nil, seed: UInt64? = nil,
  onBadFile: BadFilePolicy = .throw
) throws -> Dataset {
  let context = "textDatasetFromDirectory"
  if let maxLength, maxLength <= 0 {
    throw SwiftKerasError(
      .invalidArgument, "\(context): maxLength must be positive, got \(maxLength)")
  }
  let seed = try ClassDirectory.listingSeed(
    seed, validationSplit: validationSplit, shuffle: shuffle, context: context)
  let listing = try ClassDirectory.list(
    URL(fileURLWithPath: directory), extensions: [".txt"], classNames: classNames,
    shuffle: shuffle, seed: seed, validationSplit: validationSplit, subset: subset,
    emptyClasses: onBadFile, context: context)
  return try Dataset.directorySource(
    listing, labelMode: labelMode, batchSize: batchSize, shuffle: shuffle, seed: seed,
    policy: onBadFile, context: context
  ) { url in
    let data: Data
    do {
      data = try Data(contentsOf: url)
    } catch {
      throw SwiftKerasError(
        .io, "\(context): cannot read '\(url.path)': \(error.localizedDescription)")
    }
    guard var text = String(data: data, encoding: .utf8) else {
      throw SwiftKerasError(.invalidData, "\(context): '\(url.path)' is not UTF-8 text")
    }
    if let maxLength { text = String(text.prefix(maxLength)) }
    return try DataArray(shape: [], strings: [text])
  }
}
