import Foundation
import SwiftKerasCore
import SwiftKerasModels
import SwiftKerasSaving
import SwiftKerasTraining

/// A file path with Python `str.format` placeholders, as ModelCheckpoint's `filepath`:
/// `"ckpt-{epoch:02d}-{val_loss:.4f}.skw"`.
///
/// Supported: `{name}` (an integer as is, a float as Python's `repr`), `{name:Nd}` /
/// `{name:0Nd}` (integers, width N, zero-padded with 0), `{name:.Pf}` / `{name:N.Pf}` /
/// `{name:0N.Pf}` (fixed point with P decimals), `{name:.Pe}` (exponent), and `{{` / `}}`
/// for literal braces.
public struct FilepathTemplate: Equatable, Sendable {
  /// The template text.
  public let template: String

  /// Creates a template.
  public init(_ template: String) { self.template = template }

  /// A value substituted into a placeholder.
  public enum Value: Equatable, Sendable {
    /// An integer such as `epoch` or `batch`.
    case int(Int)
    /// A logged float.
    case float(Double)
  }

  /// The path with every placeholder replaced.
  ///
  /// - Throws: ``SwiftKerasError`` naming the placeholder when a key is missing (listing
  ///   the keys available), a format spec is unsupported, or braces are unbalanced.
  public func format(_ values: [String: Value]) throws -> String {
    var out = ""
    let chars = Array(template)
    var i = 0
    while i < chars.count {
      let c = chars[i]
      if c == "{" {
        if i + 1 < chars.count && chars[i + 1] == "{" {
          out.append("{")
          i += 2
          continue
        }
        guard let close = chars[(i + 1)...].firstIndex(of: "}") else {
          throw SwiftKerasError(.invalidArgument, "filepath '\(template)': unbalanced '{'")
        }
        let field = String(chars[(i + 1)..<close])
        let parts = field.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let key = String(parts[0])
        let spec = parts.count > 1 ? String(parts[1]) : ""
        guard let value = values[key] else {
          throw SwiftKerasError(
            .invalidArgument,
            "Failed to format this callback filepath: \"\(template)\". Reason: no value for '\(key)'; available: \(values.keys.sorted().joined(separator: ", "))"
          )
        }
        out += try FilepathTemplate.render(value, spec: spec, key: key, template: template)
        i = close + 1
      } else if c == "}" {
        guard i + 1 < chars.count && chars[i + 1] == "}" else {
          throw SwiftKerasError(
            .invalidArgument, "filepath '\(template)': single '}' (write '}}' for a literal brace)")
        }
        out.append("}")
        i += 2
      } else {
        out.append(c)
        i += 1
      }
    }
    return out
  }

  static func render(_ value: Value, spec: String, key: String, template: String) throws -> String {
    if spec.isEmpty {
      switch value {
      case .int(let v): return String(v)
      case .float(let v): return pythonRepr(v)
      }
    }
    let unsupported = SwiftKerasError(
      .invalidArgument,
      "filepath '\(template)': format spec '\(spec)' of '\(key)' is not supported (use d, Nd, 0Nd, .Pf, N.Pf, .Pe)"
    )
    guard let type = spec.last, "dfeFE".contains(type) else { throw unsupported }
    var body = Substring(spec.dropLast())
    let zero = body.hasPrefix("0")
    if zero { body = body.dropFirst() }
    let pieces = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
    let widthText = pieces.first.map(String.init) ?? ""
    guard widthText.allSatisfy(\.isNumber) else { throw unsupported }
    let width = Int(widthText) ?? 0
    var precision: Int?
    if pieces.count > 1 {
      guard let p = Int(pieces[1]) else { throw unsupported }
      precision = p
    }
    let flags = zero ? "0" : ""
    switch type {
    case "d":
      guard case .int(let v) = value, precision == nil else {
        throw SwiftKerasError(
          .invalidArgument,
          "filepath '\(template)': format code 'd' needs an integer, but '\(key)' is a float")
      }
      return String(format: "%\(flags)\(width)ld", v)
    default:
      let number: Double
      switch value {
      case .int(let v): number = Double(v)
      case .float(let v): number = v
      }
      return String(format: "%\(flags)\(width).\(precision ?? 6)\(type)", number)
    }
  }

  /// Python's `repr` of a float: the shortest text that reads back, with `.0` for whole
  /// numbers.
  static func pythonRepr(_ value: Double) -> String {
    if value.isNaN { return "nan" }
    if value.isInfinite { return value > 0 ? "inf" : "-inf" }
    return "\(value)"
  }
}
