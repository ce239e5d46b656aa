import Foundation
import SwiftKerasCore
import Synchronization

/// What a source does with a file or row it cannot read (a truncated PNG or JPEG, a CSV
/// row with the wrong number of fields or a non-number, an empty class folder).
public enum BadFilePolicy: Sendable {
  /// Throw a ``SwiftKerasError`` naming the file (and line), the default.
  case `throw`
  /// Leave it out and record it in the log.
  case skip(BadFileLog)
}

/// The files and rows a source skipped, with the reason for each; shared by every pass,
/// so a file skipped in each of three epochs is recorded once.
public final class BadFileLog: Sendable {
  private let entries = Mutex<[String: String]>([:])

  /// An empty log.
  public init() {}

  /// The number of distinct files or rows skipped.
  public var count: Int { entries.withLock { $0.count } }

  /// What was skipped (file, with its line for CSV rows) and why, sorted by name.
  public var skipped: [(item: String, reason: String)] {
    entries.withLock { $0 }.sorted { $0.key < $1.key }.map { (item: $0.key, reason: $0.value) }
  }

  /// Records `item`.
  func record(_ item: String, reason: String) {
    entries.withLock { $0[item] = reason }
  }
}

extension BadFilePolicy {
  /// Throws `error` or records it against `item` (then the caller skips the item).
  func handle(_ error: SwiftKerasError, item: String) throws {
    switch self {
    case .throw: throw error
    case .skip(let log): log.record(item, reason: error.message)
    }
  }
}
