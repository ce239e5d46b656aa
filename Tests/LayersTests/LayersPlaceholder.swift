import XCTest

final class LayersPlaceholder: XCTestCase {
  func testModuleBuilds() { XCTAssertTrue(true) }
}
