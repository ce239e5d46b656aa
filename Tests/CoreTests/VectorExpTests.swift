import CKernels
import Foundation
import SwiftKeras
import TestSupport
import XCTest

@testable import SwiftKerasCore

/// The vector exp kernel (C: AVX-512, AVX2 + FMA or scalar) against Double-precision exp,
/// and its versions against each other bit for bit.
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

  func testSpecialValues() {
    let special: [Float] = [.nan, .infinity, -.infinity, 200, -200]
    let y = exp(Tensor(special)).scalars
    XCTAssertTrue(y[0].isNaN)
    XCTAssertEqual(Array(y[1...]), [.infinity, 0, .infinity, 0])
  }

  func testEveryVersionGivesTheSameBits() {
    // Dense over the whole range, subnormal results and both clamps included; 1,001 is
    // odd so the masked and scalar tails run too.
    var values = (0..<200_001).map { Float($0) * 0.001_025 - 110 }
    values += [.nan, .infinity, -.infinity, 88.722_84, 88.722_85, -103.972_08, -103.972_09]
    values += (0..<1_001).map { Float($0) * 0.017 - 8.5 }
    var reference = [Float](repeating: 0, count: values.count)
    for (i, v) in values.enumerated() { reference[i] = sk_exp_scalar(v) }
    for level: Int32 in [0, 1, 2] {
      var output = [Float](repeating: -1, count: values.count)
      sk_exp_with_level(values, &output, values.count, level)
      var mismatches = 0
      for i in values.indices where output[i].bitPattern != reference[i].bitPattern {
        if mismatches < 5 {
          XCTFail("level \(level): exp(\(values[i])) = \(output[i]), scalar \(reference[i])")
        }
        mismatches += 1
      }
      XCTAssertEqual(mismatches, 0, "level \(level)")
    }
    // The default entry point is one of the versions above.
    let y = exp(Tensor(values)).scalars
    XCTAssertEqual(y.map(\.bitPattern), reference.map(\.bitPattern))
  }
}
