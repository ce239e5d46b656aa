import Foundation
import SwiftKeras
import TestSupport
import XCTest

@testable import SwiftKerasCore

/// Determinism and statistics of the seeded generator and the random tensor creators.
final class RandomGeneratorTests: XCTestCase {
  func testSameSeedSameSequence() {
    var a = RandomGenerator(seed: 42)
    var b = RandomGenerator(seed: 42)
    var c = RandomGenerator(seed: 43)
    let sa = (0..<100).map { _ in a.next() }
    let sb = (0..<100).map { _ in b.next() }
    let sc = (0..<100).map { _ in c.next() }
    XCTAssertEqual(sa, sb)
    XCTAssertNotEqual(sa, sc)
    XCTAssertEqual(Set(sa).count, 100)
  }

  func testSplitMixSeedingMatchesReference() {
    // The first SplitMix64 output for seed 0 is 0xE220A8397B1DCDAF (Vigna's reference code).
    // xoshiro256** with that state: result = rotl(s1 * 5, 7) * 9.
    func splitMix(_ x: inout UInt64) -> UInt64 {
      x &+= 0x9E37_79B9_7F4A_7C15
      var z = x
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    var state: UInt64 = 0
    XCTAssertEqual(splitMix(&state), 0xE220_A839_7B1D_CDAF)
    let s1 = splitMix(&state)
    let product = s1 &* 5
    let expected = ((product << 7) | (product >> 57)) &* 9
    var generator = RandomGenerator(seed: 0)
    XCTAssertEqual(generator.next(), expected)
  }

  func testRandomTensorsRepeatForASeed() {
    var g1 = RandomGenerator(seed: 7)
    var g2 = RandomGenerator(seed: 7)
    XCTAssertEqual(
      Tensor.randomNormal(shape: [5, 5], generator: &g1),
      Tensor.randomNormal(shape: [5, 5], generator: &g2))
    XCTAssertEqual(
      Tensor.randomUniform(shape: [9], generator: &g1),
      Tensor.randomUniform(shape: [9], generator: &g2))
    XCTAssertEqual(
      Tensor.truncatedNormal(shape: [9], generator: &g1),
      Tensor.truncatedNormal(shape: [9], generator: &g2))
    setRandomSeed(123)
    let a = Tensor.randomNormal(shape: [10])
    let b = Tensor.randomUniform(shape: [10])
    let c = Tensor.truncatedNormal(shape: [10])
    setRandomSeed(123)
    XCTAssertEqual(Tensor.randomNormal(shape: [10]), a)
    XCTAssertEqual(Tensor.randomUniform(shape: [10]), b)
    XCTAssertEqual(Tensor.truncatedNormal(shape: [10]), c)
    XCTAssertNotEqual(Tensor.randomNormal(shape: [10]), a)
  }

  func testSplitGivesIndependentRepeatableStreams() {
    var parent1 = RandomGenerator(seed: 5)
    var parent2 = RandomGenerator(seed: 5)
    var child1 = parent1.split()
    var child2 = parent2.split()
    XCTAssertEqual(child1.next(), child2.next())
    XCTAssertNotEqual(parent1.next(), child1.next())
  }

  func moments(_ t: Tensor) -> (mean: Double, std: Double) {
    let values = t.scalars.map(Double.init)
    let mean = values.reduce(0, +) / Double(values.count)
    let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
    return (mean, variance.squareRoot())
  }

  func testUniformStatistics() {
    var g = RandomGenerator(seed: 1)
    let x = Tensor.randomUniform(shape: [100_000], minval: -2, maxval: 4, generator: &g)
    XCTAssertTrue(x.scalars.allSatisfy { $0 >= -2 && $0 < 4 })
    let (mean, std) = moments(x)
    XCTAssertEqual(mean, 1, accuracy: 0.03)
    XCTAssertEqual(std, 6 / 12.0.squareRoot(), accuracy: 0.02)
    // Each sixth of the range gets about a sixth of the draws.
    var bins = [Int](repeating: 0, count: 6)
    for v in x.scalars { bins[min(5, Int(v + 2))] += 1 }
    for count in bins { XCTAssertEqual(Double(count) / 100_000, 1.0 / 6, accuracy: 0.01) }
    var unit = RandomGenerator(seed: 2)
    for _ in 0..<10_000 {
      let u = unit.nextUniform()
      XCTAssertTrue(u >= 0 && u < 1)
    }
  }

  func testNormalStatistics() {
    var g = RandomGenerator(seed: 3)
    let x = Tensor.randomNormal(shape: [100_000], mean: 2, stddev: 3, generator: &g)
    let (mean, std) = moments(x)
    XCTAssertEqual(mean, 2, accuracy: 0.05)
    XCTAssertEqual(std, 3, accuracy: 0.05)
    // About 68.27% within one standard deviation.
    let inside = x.scalars.filter { Swift.abs($0 - 2) < 3 }.count
    XCTAssertEqual(Double(inside) / 100_000, 0.6827, accuracy: 0.01)
    XCTAssertTrue(x.scalars.allSatisfy { $0.isFinite })
  }

  func testTruncatedNormalStaysWithinTwoStandardDeviations() {
    var g = RandomGenerator(seed: 4)
    let x = Tensor.truncatedNormal(shape: [50_000], mean: 1, stddev: 0.5, generator: &g)
    XCTAssertTrue(x.scalars.allSatisfy { $0 >= 0 && $0 <= 2 })
    let (mean, std) = moments(x)
    XCTAssertEqual(mean, 1, accuracy: 0.01)
    // A standard normal truncated to [-2, 2] has standard deviation 0.8796.
    XCTAssertEqual(std, 0.5 * 0.8796, accuracy: 0.01)
    let global = Tensor.truncatedNormal(shape: [1000], stddev: 2)
    XCTAssertTrue(global.scalars.allSatisfy { Swift.abs($0) <= 4 })
  }
}
