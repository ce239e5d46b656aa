import SwiftKeras
import TestSupport
import XCTest

@testable import SwiftKerasCore

/// Creation, element access and copy-on-write value semantics.
final class TensorCreationTests: XCTestCase {
  func testFilledCreators() {
    XCTAssertEqual(Tensor.zeros([2, 3]).scalars, [Float](repeating: 0, count: 6))
    XCTAssertEqual(Tensor.ones([2]).scalars, [1, 1])
    XCTAssertEqual(Tensor.filled([2, 2], with: 7).scalars, [7, 7, 7, 7])
    XCTAssertEqual(Tensor(repeating: 3, shape: []).shape, [])
    XCTAssertEqual(Tensor.zeros(like: Tensor.ones([4, 1])).shape, [4, 1])
    XCTAssertEqual(Tensor.ones(like: Tensor.zeros([3])).scalars, [1, 1, 1])
    XCTAssertEqual(Tensor.eye(3).scalars, [1, 0, 0, 0, 1, 0, 0, 0, 1])
    XCTAssertEqual(Tensor.zeros([0, 3]).count, 0)
  }

  func testScalarsAndShapes() {
    let t = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
    XCTAssertEqual(t.rank, 2)
    XCTAssertEqual(t.count, 6)
    XCTAssertEqual(t[1, 2], 6)
    XCTAssertEqual(t[[0, 1]], 2)
    XCTAssertEqual(Tensor(2.5).scalar, 2.5)
    XCTAssertEqual(Tensor(2.5).rank, 0)
    XCTAssertEqual(Tensor([1, 2]).shape, [2])
    XCTAssertEqual(Tensor([[1, 2], [3, 4], [5, 6]] as [[Float]]).shape, [3, 2])
    XCTAssertEqual(Tensor(shape: [2], values: [1.5, 2.5] as [Double]).scalars, [1.5, 2.5])
    XCTAssertEqual(Tensor(shape: [3], values: [3, 0, 7] as [Int]).scalars, [3, 0, 7])
    XCTAssertEqual(Tensor(shape: [1, 2], values: [UInt8(255), 1]).scalars, [255, 1])
    XCTAssertEqual(Tensor(shape: [2], values: [1, 2]).scalars, [1, 2])
    let literal: Tensor = 3
    XCTAssertEqual(literal.scalar, 3)
    let floatLiteral: Tensor = 0.5
    XCTAssertEqual(floatLiteral.scalar, 0.5)
    let built = Tensor(shape: [3]) { buffer in
      for i in 0..<3 { buffer[i] = Float(i * i) }
    }
    XCTAssertEqual(built.scalars, [0, 1, 4])
    XCTAssertEqual(Tensor([1, 2]), Tensor([1, 2]))
    XCTAssertNotEqual(Tensor([1, 2]), Tensor(shape: [2, 1], scalars: [1, 2]))
    XCTAssertNotEqual(Tensor([1, 2]), Tensor([1, 3]))
  }

  func testRangesMatchNumpy() {
    XCTAssertEqual(Tensor.range(5).scalars, [0, 1, 2, 3, 4])
    XCTAssertEqual(Tensor.range(1, 2, step: 0.25).scalars, [1, 1.25, 1.5, 1.75])
    // np.arange(0, 1, 0.3) = [0, 0.3, 0.6, 0.9]
    assertClose(Tensor.range(0, 1, step: 0.3), Tensor([0, 0.3, 0.6, 0.9]))
    XCTAssertEqual(Tensor.range(5, 0, step: -2).scalars, [5, 3, 1])
    XCTAssertEqual(Tensor.range(3, 1).shape, [0])
    XCTAssertEqual(Tensor.range(0).shape, [0])
    XCTAssertEqual(Tensor.linspace(0, 1, count: 5).scalars, [0, 0.25, 0.5, 0.75, 1])
    XCTAssertEqual(Tensor.linspace(2, 3, count: 1).scalars, [2])
    XCTAssertEqual(Tensor.linspace(2, 3, count: 0).shape, [0])
  }

  func testCopyThenMutateLeavesOriginal() {
    let original = Tensor([1, 2, 3])
    var copy = original
    copy[[0]] = 10
    XCTAssertEqual(original.scalars, [1, 2, 3])
    XCTAssertEqual(copy.scalars, [10, 2, 3])
    var other = original
    other.withUnsafeMutableBufferPointer { $0[2] = -1 }
    XCTAssertEqual(original.scalars, [1, 2, 3])
    XCTAssertEqual(other.scalars, [1, 2, -1])
    // Reshaping shares storage but must not let writes leak either way.
    var reshaped = original.reshaped(to: [3, 1])
    reshaped[2, 0] = 42
    XCTAssertEqual(original.scalars, [1, 2, 3])
    XCTAssertEqual(reshaped.scalars, [1, 2, 42])
  }

  func testUniqueBufferIsWrittenWithoutCopy() {
    var t = Tensor.zeros([1000])
    let before = t.withUnsafeBufferPointer { $0.baseAddress }
    let during = t.withUnsafeMutableBufferPointer { buffer -> UnsafeMutablePointer<Float>? in
      buffer[0] = 5
      return buffer.baseAddress
    }
    let after = t.withUnsafeBufferPointer { $0.baseAddress }
    XCTAssertEqual(UnsafePointer(during), before)
    XCTAssertEqual(after, before)
    t[[1]] = 6
    XCTAssertEqual(t.withUnsafeBufferPointer { $0.baseAddress }, before)
    XCTAssertEqual(t[0], 5)
    // A shared buffer is copied on the first write, and only then.
    let shared = t
    t[[2]] = 7
    let moved = t.withUnsafeBufferPointer { $0.baseAddress }
    XCTAssertNotEqual(moved, before)
    XCTAssertEqual(shared.withUnsafeBufferPointer { $0.baseAddress }, before)
    t[[3]] = 8
    XCTAssertEqual(t.withUnsafeBufferPointer { $0.baseAddress }, moved)
    XCTAssertEqual(shared[2], 0)
  }

  func testStorageIsAligned() {
    for shape in [[1], [3], [17, 5], [0]] {
      let address = Tensor.zeros(shape).withUnsafeBufferPointer { Int(bitPattern: $0.baseAddress) }
      XCTAssertEqual(address % 64, 0)
    }
  }

  func testVariableUpdateInPlaceDoesNotCopy() {
    let v = Variable(Tensor.zeros([16]))
    let before = v.untrackedValue.withUnsafeBufferPointer { $0.baseAddress }
    let during = v.update { buffer -> UnsafeMutablePointer<Float>? in
      buffer[0] = 1
      return buffer.baseAddress
    }
    XCTAssertEqual(UnsafePointer(during), before)
    XCTAssertEqual(v.untrackedValue[0], 1)
  }
}
