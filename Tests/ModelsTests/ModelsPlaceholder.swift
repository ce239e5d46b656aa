import XCTest

final class ModelsPlaceholder: XCTestCase {
  func testModuleBuilds() { XCTAssertTrue(true) }
}
