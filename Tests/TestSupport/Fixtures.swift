import Foundation
import SwiftKerasCore

/// The path of a committed fixture under `Tests/Fixtures`.
public func fixtureURL(_ name: String) -> URL {
  URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures").appendingPathComponent(name)
}

/// The parsed JSON of a committed fixture.
public func loadFixture(_ name: String) throws -> ConfigValue {
  let data = try Data(contentsOf: fixtureURL(name))
  return try JSONDecoder().decode(ConfigValue.self, from: data)
}

/// A tensor from nested JSON arrays of numbers (as `JSONSerialization` returns them).
public func tensor(from json: Any) -> Tensor {
  var shape: [Int] = []
  var probe: Any = json
  while let array = probe as? [Any] {
    shape.append(array.count)
    guard let first = array.first else { break }
    probe = first
  }
  var scalars: [Float] = []
  func collect(_ value: Any) {
    if let array = value as? [Any] {
      array.forEach(collect)
    } else if let number = value as? NSNumber {
      scalars.append(number.floatValue)
    }
  }
  collect(json)
  return Tensor(shape: shape, scalars: scalars)
}

/// A parsed JSON fixture object, read-only once loaded, so a global fixture can be shared
/// by tests on any thread.
public struct FixtureJSON: @unchecked Sendable {
  /// The object's entries.
  public let object: [String: Any]

  /// Wraps a parsed object.
  public init(_ object: [String: Any]) { self.object = object }

  /// The entry at `key`.
  public subscript(key: String) -> Any? { object[key] }
}
