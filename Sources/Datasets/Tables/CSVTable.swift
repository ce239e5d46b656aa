import CSV
import Foundation
import SwiftKerasCore

/// A CSV file parsed into float columns, through the CSV.swift package (RFC 4180: quoted
/// fields, embedded delimiters and newlines, a UTF-8 byte-order mark).
///
/// ```swift
/// let table = try CSVTable.read("breast_cancer.csv")
/// print(table.columnNames, table.rowCount)
/// let data = try table.dataset(label: "target")
/// ```
///
/// The first line is the header. A column is numeric when its first 100 present values
/// all parse as numbers, else it holds strings, each replaced by its index in the
/// column's sorted ``CSVColumn/vocabulary``. A later non-number in a numeric column, a
/// row with more or fewer fields than the header, or a missing value without a default
/// throws naming the file and the line — or, with `onBadRow: .skip(log)`, leaves the row
/// out and records it.
public struct CSVTable: Sendable {
  /// The file read.
  public let path: String
  /// The columns kept, in file order (or the order `columns` gave).
  public let columns: [CSVColumn]
  /// The number of rows kept.
  public let rowCount: Int

  /// The names of ``columns``.
  public var columnNames: [String] { columns.map(\.name) }

  /// The column called `name`, if any.
  public func column(_ name: String) -> CSVColumn? { columns.first { $0.name == name } }

  /// Rows read for type inference, as `make_csv_dataset`'s `num_rows_for_inference`.
  static let inferenceRows = 100

  /// Reads and parses `path`.
  ///
  /// - Parameters:
  ///   - columns: the columns to keep (by header name), in this order; all by default.
  ///   - delimiter: the field separator.
  ///   - missingValues: fields that mean "no value" (the empty field by default).
  ///   - columnDefaults: the value of a missing field, per column.
  ///   - onBadRow: throw, or skip and log, a malformed row.
  public static func read(
    _ path: String, columns selected: [String]? = nil, delimiter: UnicodeScalar = ",",
    missingValues: Set<String> = [""], columnDefaults: [String: Float] = [:],
    onBadRow: BadFilePolicy = .throw
  ) throws -> CSVTable {
    // The whole file as text: CSV.swift's file streams report an error at every end of
    // file, and the text is checked to be UTF-8 before parsing.
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
      throw SwiftKerasError(
        .io, "Dataset.csv: cannot read '\(path)': \(error.localizedDescription)")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw SwiftKerasError(.invalidData, "Dataset.csv: '\(path)' is not UTF-8 text")
    }
    let reader: CSVReader
    do {
      reader = try CSVReader(string: text, hasHeaderRow: true, delimiter: delimiter)
    } catch {
      throw SwiftKerasError(.invalidData, "Dataset.csv: '\(path)' has no header line (\(error))")
    }
    guard let header = reader.headerRow, !header.isEmpty else {
      throw SwiftKerasError(.invalidData, "Dataset.csv: '\(path)' has no header line")
    }
    var duplicates = Set<String>()
    for name in header where !duplicates.insert(name).inserted {
      throw SwiftKerasError(.invalidData, "Dataset.csv: '\(path)' names column '\(name)' twice")
    }
    let names = selected ?? header
    let indices = try names.map { name -> Int in
      guard let index = header.firstIndex(of: name) else {
        throw SwiftKerasError(
          .invalidArgument, "Dataset.csv: '\(path)' has no column '\(name)'; columns: \(header)")
      }
      return index
    }
    var parser = RowParser(
      path: path, header: header, indices: indices, missingValues: missingValues,
      defaults: columnDefaults, policy: onBadRow)
    parser.line = 1 + header.reduce(0) { $0 + $1.newlineCount }
    var pending: [[String]] = []
    while let row = reader.next() {
      if row == [""] {  // a blank line
        parser.line += 1
        continue
      }
      pending.append(row)
      if pending.count == inferenceRows { break }
    }
    parser.inferTypes(pending)
    for row in pending { try parser.add(row) }
    while let row = reader.next() {
      if row == [""] {
        parser.line += 1
        continue
      }
      try parser.add(row)
    }
    if let error = reader.error {
      throw SwiftKerasError(
        .invalidData,
        "Dataset.csv: '\(path)' is not valid UTF-8 CSV near line \(parser.line + 1): \(error)")
    }
    return CSVTable(path: path, columns: parser.finish(), rowCount: parser.rowCount)
  }

  /// The table as a dataset: the `label` column (if given) as the target and every other
  /// column as one `[features]` input row. A string label becomes its class index; the
  /// dataset's ``Dataset/classNames`` are then the label vocabulary.
  public func dataset(label: String? = nil) throws -> Dataset {
    let features = columns.filter { $0.name != label }
    guard !features.isEmpty else {
      throw SwiftKerasError(
        .invalidArgument, "Dataset.csv: '\(path)' has no feature column besides '\(label ?? "")'")
    }
    let width = features.count
    let x = Tensor(shape: [rowCount, width]) { out in
      for (j, column) in features.enumerated() {
        for i in 0..<rowCount { out[i * width + j] = column.values[i] }
      }
    }
    guard let label else { return Dataset(x: x) }
    guard let target = column(label) else {
      throw SwiftKerasError(
        .invalidArgument,
        "Dataset.csv: '\(path)' has no label column '\(label)'; columns: \(columnNames)")
    }
    return Dataset(
      arrays: DatasetElement(x: [x], y: [Tensor(shape: [rowCount], scalars: target.values)]),
      classNames: target.vocabulary)
  }
}

/// One parsed column.
public struct CSVColumn: Sendable {
  /// The header name.
  public let name: String
  /// One value per kept row: the number, or for a string column the string's index in
  /// ``vocabulary``.
  public let values: [Float]
  /// The sorted distinct strings of a string column; nil for a numeric column.
  public let vocabulary: [String]?
}

extension String {
  var newlineCount: Int { utf8.reduce(0) { $0 + ($1 == 10 ? 1 : 0) } }
}

/// Turns rows of fields into columns, tracking the line each row started on.
private struct RowParser {
  let path: String
  let header: [String]
  let indices: [Int]
  let missingValues: Set<String>
  let defaults: [String: Float]
  let policy: BadFilePolicy
  var line = 1
  var rowCount = 0
  var isString: [Bool] = []
  var numbers: [[Float]]
  var strings: [[String]]

  init(
    path: String, header: [String], indices: [Int], missingValues: Set<String>,
    defaults: [String: Float], policy: BadFilePolicy
  ) {
    self.path = path
    self.header = header
    self.indices = indices
    self.missingValues = missingValues
    self.defaults = defaults
    self.policy = policy
    numbers = Array(repeating: [], count: indices.count)
    strings = Array(repeating: [], count: indices.count)
  }

  static func number(_ field: String) -> Float? {
    Float(field.trimmingCharacters(in: .whitespaces))
  }

  mutating func inferTypes(_ rows: [[String]]) {
    isString = indices.map { index in
      rows.contains { row in
        index < row.count && !missingValues.contains(row[index])
          && RowParser.number(row[index]) == nil
      }
    }
  }

  mutating func add(_ row: [String]) throws {
    let rowLine = line + 1
    line += 1 + row.reduce(0) { $0 + $1.newlineCount }
    let location = "'\(path)' line \(rowLine)"
    guard row.count == header.count else {
      try policy.handle(
        SwiftKerasError(
          .invalidData,
          "Dataset.csv: \(location) has \(row.count) fields; the header has \(header.count)"),
        item: location)
      return
    }
    var parsed: [Float] = []
    var texts: [String] = []
    for (k, index) in indices.enumerated() {
      let field = row[index]
      let name = header[index]
      if isString[k] {
        texts.append(field)
        parsed.append(0)
        continue
      }
      texts.append("")
      if missingValues.contains(field) {
        guard let fallback = defaults[name] else {
          try policy.handle(
            SwiftKerasError(
              .invalidData,
              "Dataset.csv: \(location) has no value in column '\(name)'; give columnDefaults[\"\(name)\"] or skip bad rows"
            ),
            item: location)
          return
        }
        parsed.append(fallback)
      } else if let value = RowParser.number(field) {
        parsed.append(value)
      } else {
        try policy.handle(
          SwiftKerasError(
            .invalidData,
            "Dataset.csv: \(location), column '\(name)': expected a number, found '\(field)'"),
          item: location)
        return
      }
    }
    for k in 0..<indices.count {
      if isString[k] { strings[k].append(texts[k]) } else { numbers[k].append(parsed[k]) }
    }
    rowCount += 1
  }

  func finish() -> [CSVColumn] {
    indices.enumerated().map { k, index in
      if !isString[k] {
        return CSVColumn(name: header[index], values: numbers[k], vocabulary: nil)
      }
      let vocabulary = Array(Set(strings[k])).sorted()
      let position = Dictionary(
        uniqueKeysWithValues: vocabulary.enumerated().map { ($1, Float($0)) })
      return CSVColumn(
        name: header[index], values: strings[k].map { position[$0] ?? 0 }, vocabulary: vocabulary)
    }
  }
}

extension Dataset {
  /// The rows of a CSV file, as `tf.data.experimental.make_csv_dataset` without its
  /// batching and shuffling (chain them): the `label` column is the target, the other
  /// kept columns form one input row (see ``CSVTable`` for types, missing values and bad
  /// rows).
  ///
  /// ```swift
  /// let table = try Dataset.csv("breast_cancer.csv", label: "target").shuffle(seed: 1).batch(32)
  /// ```
  public static func csv(
    _ path: String, label: String? = nil, columns: [String]? = nil, delimiter: UnicodeScalar = ",",
    missingValues: Set<String> = [""], columnDefaults: [String: Float] = [:],
    onBadRow: BadFilePolicy = .throw
  ) throws -> Dataset {
    var kept = columns
    if let label, let given = columns, !given.contains(label) { kept = given + [label] }
    return try CSVTable.read(
      path, columns: kept, delimiter: delimiter, missingValues: missingValues,
      columnDefaults: columnDefaults, onBadRow: onBadRow
    ).dataset(label: label)
  }
}
