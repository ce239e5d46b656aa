import XCTest

final class CallbacksPlaceholder: XCTestCase {
  func testModuleBuilds() { XCTAssertTrue(true) }
}
