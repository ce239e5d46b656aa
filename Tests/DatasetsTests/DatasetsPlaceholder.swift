import XCTest

final class DatasetsPlaceholder: XCTestCase {
  func testModuleBuilds() { XCTAssertTrue(true) }
}
