import Foundation

/// The error every SwiftKeras API throws for bad input: an unknown identifier, a shape
/// that does not fit, an unreadable file. The message names what was expected and what
/// was found.
///
/// ```swift
/// do { _ = try ActivationFunction("relu7") } catch { print(error) }
/// // unknown activation "relu7"; valid: elu, exponential, gelu, …
/// ```
public struct SwiftKerasError: Error, CustomStringConvertible, LocalizedError, Equatable {
  /// The family of problem.
  public enum Kind: String, Sendable {
    /// A string identifier that names nothing known.
    case unknownIdentifier
    /// An argument outside its valid range.
    case invalidArgument
    /// Shapes that do not fit together.
    case shapeMismatch
    /// Data that is malformed (a corrupt file, a label out of range).
    case invalidData
    /// A file that cannot be read or written.
    case io
    /// A call made in the wrong order (fit before compile).
    case invalidState
  }

  /// The family of problem.
  public let kind: Kind
  /// What went wrong, naming the layer or file, what was expected and what was found.
  public let message: String

  /// Creates an error of `kind` with a message.
  public init(_ kind: Kind, _ message: String) {
    self.kind = kind
    self.message = message
  }

  public var description: String { message }
  public var errorDescription: String? { message }

  /// An unknown string identifier, listing the valid ones.
  public static func unknownIdentifier(_ name: String, kind: String, valid: [String]) -> Self {
    SwiftKerasError(
      .unknownIdentifier,
      "unknown \(kind) \"\(name)\"; valid: \(valid.sorted().joined(separator: ", "))")
  }
}
