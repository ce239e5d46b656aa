import Foundation
import SwiftKerasCore

/// The path of a committed fixture under Tests/Fixtures.
func fixtureURL(_ name: String) -> URL {
  URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Fixtures").appendingPathComponent(name)
}

/// The parsed JSON of a committed fixture.
func loadFixture(_ name: String) throws -> ConfigValue {
  let data = try Data(contentsOf: fixtureURL(name))
  return try JSONDecoder().decode(ConfigValue.self, from: data)
}
