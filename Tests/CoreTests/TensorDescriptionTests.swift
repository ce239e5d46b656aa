import SwiftKeras
import TestSupport
import XCTest

@testable import SwiftKerasCore

/// The numpy-like `description` for each rank and for large tensors.
final class TensorDescriptionTests: XCTestCase {
  func testSmallRanks() {
    XCTAssertEqual(Tensor(3).description, "3.")
    XCTAssertEqual(Tensor(-0.5).description, "-0.5")
    XCTAssertEqual(Tensor([1, 2, 3]).description, "[1. 2. 3.]")
    XCTAssertEqual(Tensor([[1, 2], [3, 4]]).description, "[[1. 2.]\n [3. 4.]]")
    XCTAssertEqual(
      Tensor([[[1, 2], [3, 4]], [[5, 6], [7, 8]]] as [[[Float]]]).description,
      "[[[1. 2.]\n  [3. 4.]]\n\n [[5. 6.]\n  [7. 8.]]]")
    // Decimal points line up, as numpy's str: str(np.array([1.5, -20, 0.25], np.float32)).
    XCTAssertEqual(Tensor([1.5, -20, 0.25]).description, "[  1.5  -20.     0.25]")
    XCTAssertEqual(Tensor([1.5, .nan, 0.25]).description, "[1.5   nan 0.25]")
    XCTAssertEqual(
      Tensor([[0.5, 10], [-3, 2.25]]).description, "[[ 0.5  10.  ]\n [-3.    2.25]]")
    XCTAssertEqual(Tensor([1, 2]).debugDescription, "Tensor(shape: [2], [1. 2.])")
    XCTAssertEqual(Tensor([.nan, .infinity, -.infinity]).description, "[ nan  inf -inf]")
    XCTAssertEqual(Tensor(shape: [0], scalars: []).description, "[]")
    XCTAssertEqual(Tensor([1e-5, 1e9]).description, "[1.0000e-05 1.0000e+09]")
  }

  func testLargeTensorsAreSummarised() {
    let vector = Tensor.range(2000)
    XCTAssertEqual(vector.description, "[   0.    1.    2. ... 1997. 1998. 1999.]")
    let matrix = Tensor.range(2000).reshaped(to: [40, 50])
    let lines = matrix.description.split(separator: "\n", omittingEmptySubsequences: false)
    XCTAssertEqual(lines.count, 7)
    XCTAssertEqual(lines[0], "[[   0.    1.    2. ...   47.   48.   49.]")
    XCTAssertEqual(lines[3], " ...")
    XCTAssertEqual(lines[6], " [1950. 1951. 1952. ... 1997. 1998. 1999.]]")
    // Small tensors with many elements along one axis are printed in full.
    XCTAssertFalse(Tensor.range(1000).description.contains("..."))
    let cube = Tensor.zeros([10, 10, 11])
    XCTAssertTrue(cube.description.contains("..."))
    XCTAssertTrue(
      cube.description.hasPrefix("[[[0. 0. 0. ... 0. 0. 0.]\n  [0. 0. 0. ... 0. 0. 0.]"))
  }
}
