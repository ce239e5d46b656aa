import CKernels
import SwiftKeras
import TestSupport
import XCTest

@testable import SwiftKerasCore
@testable import SwiftKerasTraining

/// Adam's vector update (C: AVX-512, AVX2, SSE) performs the same operations in the same
/// order in every version, so each gives the same bits.
final class VectorAdamTests: XCTestCase {
  func testEveryVersionGivesTheSameBits() {
    var generator = RandomGenerator(seed: 8)
    // 1,003 elements: the 32-, 16- and 8-wide loops and the scalar tail all run.
    let count = 1_003
    let weights = Tensor.randomNormal(shape: [count], generator: &generator).scalars
    let firstMoments = Tensor.randomNormal(shape: [count], stddev: 0.1, generator: &generator)
      .scalars
    let secondMoments = Tensor.randomUniform(
      shape: [count], minval: 0, maxval: 0.01, generator: &generator
    ).scalars
    let gradients = Tensor.randomNormal(shape: [count], generator: &generator).scalars
    var results: [[Float]] = []
    for level: Int32 in [0, 1, 2] {
      var (w, m, v) = (weights, firstMoments, secondMoments)
      for _ in 0..<3 {
        sk_adam_update_with_level(&w, &m, &v, gradients, count, 1e-3, 0.1, 0.001, 1e-7, level)
      }
      results.append(w + m + v)
    }
    XCTAssertNotEqual(results[0], weights + firstMoments + secondMoments, "the update ran")
    for level in 1...2 {
      XCTAssertEqual(
        results[level].map(\.bitPattern), results[0].map(\.bitPattern), "level \(level)")
    }
    // The first element against the formula, written out.
    var (w, m, v) = (weights[0], firstMoments[0], secondMoments[0])
    for _ in 0..<3 {
      m = m + (gradients[0] - m) * 0.1
      v = v + (gradients[0] * gradients[0] - v) * 0.001
      w = w - (m * 1e-3) / (v.squareRoot() + 1e-7)
    }
    XCTAssertEqual(results[0][0], w)
  }
}
