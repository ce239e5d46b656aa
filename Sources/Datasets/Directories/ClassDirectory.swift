import Foundation
import SwiftKerasCore

/// The labels a directory source gives its files, as the `label_mode` of Keras's
/// `*_dataset_from_directory`.
public enum LabelMode: Sendable {
  /// The class index as a float, shape `[]` per element.
  case int
  /// A one-hot row of the class count.
  case categorical
  /// 0 or 1 with shape `[1]`, for exactly two classes.
  case binary
}

/// Which part of a `validationSplit` a directory source returns.
public enum DatasetSubset: Sendable {
  /// The first `1 - validationSplit` of the (shuffled) files.
  case training
  /// The last `validationSplit` of them.
  case validation
}

/// The files of a folder with one sub-folder per class, listed, labelled, shuffled and
/// split as Keras's `dataset_utils.index_directory` and `get_training_or_validation_split`.
struct ClassDirectory {
  /// The seed of the file shuffle: `seed`, or a draw when none is given (NumPy seeds are
  /// 32-bit: a drawn seed keeps Keras's range). Throws when a validation split is shuffled
  /// without a seed, as the two subsets, listed by separate calls, would then overlap.
  static func listingSeed(
    _ seed: UInt64?, validationSplit: Double?, shuffle: Bool, context: String
  ) throws -> UInt64 {
    if validationSplit != nil, shuffle, seed == nil {
      throw SwiftKerasError(
        .invalidArgument,
        "\(context): with validationSplit and shuffle, give a seed so the training and validation subsets do not overlap"
      )
    }
    return seed ?? (GlobalRandom.next() % 1_000_000)
  }

  /// The files' paths.
  var files: [URL]
  /// Each file's class index.
  var labels: [Int]
  /// The class names in label order.
  var classNames: [String]

  /// Lists `directory`.
  ///
  /// - Parameters:
  ///   - extensions: the lower-case file name endings to keep (".png").
  ///   - classNames: the classes to keep, in this label order; by default every
  ///     sub-folder, sorted by name.
  ///   - shuffle, seed: shuffle the list as NumPy's `RandomState(seed).shuffle`.
  ///   - emptyClasses: what to do with a class folder without any matching file.
  static func list(
    _ directory: URL, extensions: [String], classNames requested: [String]?, shuffle: Bool,
    seed: UInt64, validationSplit: Double?, subset: DatasetSubset?, emptyClasses: BadFilePolicy,
    context: String
  ) throws -> ClassDirectory {
    if let validationSplit, !(validationSplit > 0 && validationSplit < 1) {
      throw SwiftKerasError(
        .invalidArgument,
        "\(context): validationSplit must be between 0 and 1, got \(validationSplit)")
    }
    guard (validationSplit == nil) == (subset == nil) else {
      throw SwiftKerasError(
        .invalidArgument, "\(context): give validationSplit and subset together, or neither")
    }
    let manager = FileManager.default
    var isDirectory: ObjCBool = false
    guard manager.fileExists(atPath: directory.path, isDirectory: &isDirectory),
      isDirectory.boolValue
    else {
      throw SwiftKerasError(.io, "\(context): '\(directory.path)' is not a directory")
    }
    let entries: [String]
    do {
      entries = try manager.contentsOfDirectory(atPath: directory.path)
    } catch {
      throw SwiftKerasError(.io, "\(context): cannot list '\(directory.path)': \(error)")
    }
    // Python sorts by code point; Swift's String comparison on these names agrees for
    // ASCII, and the UTF-8 bytes order is used to agree beyond it.
    let subfolders = entries.filter { name in
      var folder: ObjCBool = false
      return !name.hasPrefix(".")
        && manager.fileExists(
          atPath: directory.appendingPathComponent(name).path, isDirectory: &folder)
        && folder.boolValue
    }.sorted {
      Array($0.unicodeScalars.map(\.value)).lexicographicallyPrecedes(
        $1.unicodeScalars.map(\.value))
    }
    var names = subfolders
    if let requested {
      let missing = requested.filter { !subfolders.contains($0) }
      guard missing.isEmpty else {
        throw SwiftKerasError(
          .invalidArgument,
          "\(context): classNames \(missing) are not sub-folders of '\(directory.path)'; found \(subfolders)"
        )
      }
      names = requested
    }
    guard !names.isEmpty else {
      throw SwiftKerasError(
        .invalidData,
        "\(context): '\(directory.path)' has no class sub-folders; expected one folder per class holding the files"
      )
    }
    var files: [URL] = []
    var labels: [Int] = []
    for (label, name) in names.enumerated() {
      let folder = directory.appendingPathComponent(name)
      let found = try walk(folder, extensions: extensions, context: context)
      if found.isEmpty {
        try emptyClasses.handle(
          SwiftKerasError(
            .invalidData,
            "\(context): class folder '\(folder.path)' holds no \(extensions.joined(separator: "/")) files"
          ),
          item: folder.path)
      }
      files += found
      labels += Array(repeating: label, count: found.count)
    }
    if shuffle {
      var generator = LegacyNumpyShuffle(seed: seed)
      generator.shuffle(&files)
      generator = LegacyNumpyShuffle(seed: seed)
      generator.shuffle(&labels)
    }
    if let validationSplit, let subset {
      let validationCount = Int(validationSplit * Double(files.count))
      let range =
        subset == .training
        ? 0..<(files.count - validationCount) : (files.count - validationCount)..<files.count
      // Keras's samples[:-0] is empty: with no validation files the training subset is too.
      let kept = validationCount == 0 && subset == .training ? 0..<0 : range
      files = Array(files[kept])
      labels = Array(labels[kept])
    }
    guard !files.isEmpty else {
      throw SwiftKerasError(
        .invalidData,
        "\(context): no \(extensions.joined(separator: "/")) files found in '\(directory.path)'\(subset == nil ? "" : " for this subset")"
      )
    }
    return ClassDirectory(files: files, labels: labels, classNames: names)
  }

  /// Every file under `folder` with a kept extension, as `iter_valid_files`: directories
  /// in path order, files sorted within each.
  private static func walk(_ folder: URL, extensions: [String], context: String) throws -> [URL] {
    var directories: [String] = [folder.path]
    var result: [(String, String)] = []
    var pending = [folder.path]
    let manager = FileManager.default
    while let current = pending.popLast() {
      let names: [String]
      do {
        names = try manager.contentsOfDirectory(atPath: current)
      } catch {
        throw SwiftKerasError(.io, "\(context): cannot list '\(current)': \(error)")
      }
      for name in names {
        let path = current + "/" + name
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
        if isDirectory.boolValue {
          // As os.walk(followlinks=False) in Keras: a linked folder is not descended into
          // (which also keeps a link loop from walking forever).
          let type = try? manager.attributesOfItem(atPath: path)[.type] as? FileAttributeType
          if type == .typeSymbolicLink { continue }
          directories.append(path)
          pending.append(path)
        } else if extensions.contains(where: { name.lowercased().hasSuffix($0) }) {
          result.append((current, name))
        }
      }
    }
    let order = Dictionary(
      uniqueKeysWithValues: directories.sorted().enumerated().map { ($1, $0) })
    return result.sorted { a, b in
      let (da, db) = (order[a.0] ?? 0, order[b.0] ?? 0)
      return da != db ? da < db : a.1 < b.1
    }.map { URL(fileURLWithPath: $0.0 + "/" + $0.1) }
  }

  /// The label arrays of `mode` for the files.
  func labelArray(_ mode: LabelMode, context: String) throws -> DataArray {
    let n = labels.count
    switch mode {
    case .int:
      return DataArray(Tensor(shape: [n], scalars: labels.map(Float.init)))
    case .binary:
      guard classNames.count == 2 else {
        throw SwiftKerasError(
          .invalidArgument,
          "\(context): labelMode .binary needs exactly 2 classes, found \(classNames.count): \(classNames)"
        )
      }
      return DataArray(Tensor(shape: [n, 1], scalars: labels.map(Float.init)))
    case .categorical:
      let classes = classNames.count
      return DataArray(
        Tensor(shape: [n, classes]) { out in
          for i in 0..<out.count { out[i] = 0 }
          for (i, label) in labels.enumerated() { out[i * classes + label] = 1 }
        })
    }
  }
}
