import Foundation
import SwiftKerasCore
import SwiftKerasModels
import SwiftKerasSaving
import SwiftKerasTraining

/// Streams each epoch's logs to a CSV file, as `keras.callbacks.CSVLogger`: a header
/// `epoch` followed by the log keys in sorted order, then one row per epoch.
///
/// ```swift
/// try model.fit(x: x, y: y, epochs: 5, callbacks: [CSVLogger("training.csv")])
/// ```
public final class CSVLogger: Callback {
  /// Rank 0 alone prints / writes files in data-parallel training.
  public override var runsOnChiefOnly: Bool { true }

  /// The file written.
  public let filename: String
  /// The field separator.
  public let separator: String
  /// Whether to continue an existing file instead of replacing it.
  public let append: Bool
  private var keys: [String]?
  private var handle: FileHandle?

  /// Creates the logger.
  public init(_ filename: String, separator: String = ",", append: Bool = false) {
    self.filename = filename
    self.separator = separator
    self.append = append
  }

  public override func onTrainBegin(logs: Logs) throws {
    let manager = FileManager.default
    var appending = false
    if append, manager.fileExists(atPath: filename),
      let existing = try? String(contentsOfFile: filename, encoding: .utf8), !existing.isEmpty
    {
      appending = true
      // Keras keeps the columns of the file it continues.
      if let header = existing.split(separator: "\n").first {
        keys = header.components(separatedBy: separator).dropFirst().map { String($0) }
      }
    } else {
      keys = nil
    }
    if !appending { _ = manager.createFile(atPath: filename, contents: nil) }
    do {
      handle = try FileHandle(forWritingTo: URL(fileURLWithPath: filename))
      if appending { try handle?.seekToEnd() }
    } catch {
      throw SwiftKerasError(
        .io, "CSVLogger: cannot open '\(filename)' for writing: \(error)")
    }
  }

  public override func onEpochEnd(_ epoch: Int, logs: Logs) throws {
    guard let handle else { return }
    var text = ""
    if keys == nil {
      keys = logs.keys.sorted()
      text += (["epoch"] + (keys ?? [])).joined(separator: separator) + "\n"
    }
    let row =
      [String(epoch)] + (keys ?? []).map { key in logs[key].map { CSVLogger.format($0) } ?? "NA" }
    text += row.joined(separator: separator) + "\n"
    handle.write(Data(text.utf8))
  }

  public override func onTrainEnd(logs: Logs) throws {
    try? handle?.close()
    handle = nil
  }

  /// Python's `repr` of a float as Keras writes it: the shortest text that reads back.
  static func format(_ value: Float) -> String {
    if value.isNaN { return "nan" }
    if value.isInfinite { return value > 0 ? "inf" : "-inf" }
    return "\(value)"
  }
}
