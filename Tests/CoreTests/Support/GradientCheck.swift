import Foundation
import XCTest

@testable import SwiftKerasCore

/// Checks the tape's gradient of `f` (summed with fixed random weights so every output
/// element matters) against central finite differences computed in Double where possible.
///
/// - Parameters:
///   - inputs: the points at which to differentiate.
///   - f: the function under test, of all inputs.
///   - epsilon: the finite-difference step.
///   - tolerance: allowed absolute-plus-relative error.
func assertGradientsMatchFiniteDifferences(
  _ inputs: [Tensor], epsilon: Float = 1e-2, tolerance: Float = 2e-2,
  file: StaticString = #filePath, line: UInt = #line, _ f: ([Tensor]) -> Tensor
) {
  // A fixed random projection turns any output into a scalar whose gradient exercises
  // every element of the output.
  let probe = f(inputs)
  var generator = RandomGenerator(seed: 7)
  let weights = Tensor.randomUniform(
    shape: probe.shape, minval: 0.5, maxval: 1.5, generator: &generator)
  func objective(_ xs: [Tensor]) -> Double {
    let y = f(xs)
    var total: Double = 0
    for (a, b) in zip(y.scalars, weights.scalars) { total += Double(a) * Double(b) }
    return total
  }
  let tape = GradientTape()
  let watched = inputs.map { tape.watch($0) }
  let output = tape.record { (f(watched) * weights).sum() }
  let analytic = tape.gradient(of: output, wrt: watched, unconnected: .zero)
  for (k, input) in inputs.enumerated() {
    guard let grad = analytic[k] else {
      XCTFail("no gradient for input \(k)", file: file, line: line)
      continue
    }
    XCTAssertEqual(grad.shape, input.shape, "gradient shape of input \(k)", file: file, line: line)
    for i in 0..<input.count {
      var plus = inputs
      var minus = inputs
      plus[k].withUnsafeMutableBufferPointer { $0[i] += epsilon }
      minus[k].withUnsafeMutableBufferPointer { $0[i] -= epsilon }
      let numeric = Float((objective(plus) - objective(minus)) / Double(2 * epsilon))
      let got = grad.scalars[i]
      let error = abs(numeric - got)
      XCTAssertLessThanOrEqual(
        error, tolerance * (1 + abs(numeric)),
        "input \(k) element \(i): tape gives \(got), finite differences \(numeric)",
        file: file, line: line)
    }
  }
}

/// Asserts two tensors have equal shapes and elements within `tolerance` (relative).
func assertClose(
  _ a: Tensor, _ b: Tensor, tolerance: Float = 1e-5, file: StaticString = #filePath,
  line: UInt = #line
) {
  XCTAssertEqual(a.shape, b.shape, "shapes", file: file, line: line)
  guard a.shape == b.shape else { return }
  for (i, (x, y)) in zip(a.scalars, b.scalars).enumerated() {
    if x.isNaN && y.isNaN { continue }
    XCTAssertLessThanOrEqual(
      abs(x - y), tolerance * max(1, abs(y)), "element \(i): \(x) vs \(y)", file: file, line: line)
  }
}

/// The path of a committed fixture under Tests/Fixtures.
func fixtureURL(_ name: String) -> URL {
  URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Fixtures").appendingPathComponent(name)
}
