import Foundation
import XCTest

@testable import SwiftKerasCore

/// The vector exp kernel (C, AVX2 when available) against Double-precision exp and the
/// scalar FastMath version it mirrors.
final class VectorExpTests: XCTestCase {
  func testMatchesDoubleExpWithinTwoUlpsAcrossTheRange() {
    var values: [Float] = []
    var x: Float = -110
    while x < 95 {
      values.append(x)
      x += 0.0137
    }
    values += [0, -0.0, 1e-30, -1e-30, 88.7, 88.72, -87.3, -103.9]
    let y = exp(Tensor(values)).scalars
    for (input, output) in zip(values, y) {
      let exact = Float(Foundation.exp(Double(input)))
      if exact == 0 || exact.isInfinite {
        XCTAssertEqual(output, exact, "exp(\(input))")
        continue
      }
      let ulps = abs(output - exact) / exact.ulp
      XCTAssertLessThanOrEqual(ulps, 2, "exp(\(input)) = \(output), exact \(exact)")
    }
  }

  func testSpecialValuesAndAgreementWithTheScalarPath() {
    let special: [Float] = [.nan, .infinity, -.infinity, 200, -200]
    let y = exp(Tensor(special)).scalars
    XCTAssertTrue(y[0].isNaN)
    XCTAssertEqual(Array(y[1...]), [.infinity, 0, .infinity, 0])
    // Odd lengths exercise the scalar tail; both paths must give the same bits.
    let values = (0..<37).map { Float($0) * 0.731 - 13 }
    let vector = exp(Tensor(values)).scalars
    for (input, output) in zip(values, vector) {
      XCTAssertEqual(output.bitPattern, FastMath.exp(input).bitPattern, "exp(\(input))")
    }
  }
}
