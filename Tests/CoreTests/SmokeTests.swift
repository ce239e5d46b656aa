import XCTest
@testable import SwiftKerasCore
final class SmokeTests: XCTestCase {
  func testAdd() { XCTAssertEqual((Tensor([1, 2]) + Tensor([3, 4])).scalars, [4, 6]) }
}
