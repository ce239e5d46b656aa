import Foundation
import SwiftKeras
import TestSupport
import XCTest

@testable import SwiftKerasCore

/// ActivationFunction values against Keras 3 (Tests/Fixtures/activations.json, written by
/// Scripts/fixtures/activations.py) and gradients against finite differences.
final class ActivationTests: XCTestCase {
  private struct Fixture {
    let grid: Tensor
    let cases: [(name: String, identifier: String, args: [String: ConfigValue], output: [Float])]
    let matrix: Tensor
    let softmax: [String: [Float]]
    let logSoftmax: [String: [Float]]
    let serializedNames: [String: String]
  }

  private func floats(_ value: ConfigValue?) -> [Float] {
    (value?.arrayValue ?? []).map { Float($0.doubleValue ?? .nan) }
  }

  private func loadFixture() throws -> Fixture {
    let text = try String(contentsOf: fixtureURL("activations.json"), encoding: .utf8)
    let json = try ConfigValue.parse(json: text)
    let grid = floats(json["grid"])
    let cases = try XCTUnwrap(json["cases"]?.arrayValue).map { item in
      (
        name: item["name"]?.stringValue ?? "",
        identifier: item["identifier"]?.stringValue ?? "",
        args: item["args"]?.objectValue ?? [:],
        output: floats(item["output"])
      )
    }
    let shape = (json["matrix"]?["shape"]?.arrayValue ?? []).compactMap(\.intValue)
    let matrix = Tensor(shape: shape, scalars: floats(json["matrix"]?["values"]))
    func byAxis(_ key: String) -> [String: [Float]] {
      (json[key]?.objectValue ?? [:]).mapValues { floats($0) }
    }
    let names = (json["serialized_names"]?.objectValue ?? [:]).compactMapValues(\.stringValue)
    return Fixture(
      grid: Tensor(grid), cases: cases, matrix: matrix, softmax: byAxis("softmax"),
      logSoftmax: byAxis("log_softmax"), serializedNames: names)
  }

  /// The Swift function for a Keras identifier called with Keras keyword arguments.
  private func function(_ identifier: String, _ args: [String: ConfigValue]) -> (Tensor) -> Tensor {
    func number(_ key: String) -> Float? { args[key]?.doubleValue.map { Float($0) } }
    switch identifier {
    case "relu":
      return {
        relu(
          $0, negativeSlope: number("negative_slope") ?? 0, maxValue: number("max_value"),
          threshold: number("threshold") ?? 0)
      }
    case "relu6": return relu6
    case "sigmoid": return sigmoid
    case "tanh": return tanh
    case "gelu": return { gelu($0, approximate: args["approximate"]?.boolValue ?? false) }
    case "leaky_relu": return { leakyRelu($0, negativeSlope: number("negative_slope") ?? 0.2) }
    case "elu": return { elu($0, alpha: number("alpha") ?? 1) }
    case "selu": return selu
    case "softplus": return softplus
    case "softsign": return softsign
    case "silu": return silu
    case "swish": return swish
    case "hard_sigmoid": return hardSigmoid
    case "hard_silu": return hardSilu
    case "hard_swish": return hardSwish
    case "exponential": return exponential
    case "linear": return linear
    case "celu": return { celu($0, alpha: number("alpha") ?? 1) }
    case "hard_tanh": return hardTanh
    case "log_sigmoid": return logSigmoid
    case "mish": return mish
    case "tanh_shrink": return tanhShrink
    case "squareplus": return { squareplus($0, b: number("b") ?? 4) }
    case "sparse_plus": return sparsePlus
    case "sparse_sigmoid": return sparseSigmoid
    case "soft_shrink": return { softShrink($0, threshold: number("threshold") ?? 0.5) }
    case "hard_shrink": return { hardShrink($0, threshold: number("threshold") ?? 0.5) }
    case "threshold":
      return {
        threshold(
          $0, threshold: number("threshold") ?? .nan, defaultValue: number("default_value") ?? .nan)
      }
    default:
      XCTFail("fixture names an activation the test does not know: \(identifier)")
      return { $0 }
    }
  }

  func testFreeFunctionsMatchKeras() throws {
    let fixture = try loadFixture()
    XCTAssertEqual(fixture.cases.count, 41)
    for item in fixture.cases {
      let got = function(item.identifier, item.args)(fixture.grid)
      XCTAssertEqual(got.count, item.output.count, item.name)
      for (i, (a, b)) in zip(got.scalars, item.output).enumerated() {
        XCTAssertLessThanOrEqual(
          abs(a - b), 1e-5 * max(1, abs(b)),
          "\(item.name) at x = \(fixture.grid.scalars[i]): \(a) vs Keras \(b)")
      }
    }
  }

  func testActivationValuesMatchKerasDefaults() throws {
    let fixture = try loadFixture()
    for item in fixture.cases where item.args.isEmpty {
      let activation = try ActivationFunction(item.identifier)
      assertClose(activation(fixture.grid), Tensor(item.output), tolerance: 1e-5)
    }
  }

  func testSoftmaxAndLogSoftmaxMatchKeras() throws {
    let fixture = try loadFixture()
    let shape = fixture.matrix.shape
    for axis in [-1, 0] {
      let expectedSoftmax = Tensor(shape: shape, scalars: try XCTUnwrap(fixture.softmax["\(axis)"]))
      let expectedLog = Tensor(shape: shape, scalars: try XCTUnwrap(fixture.logSoftmax["\(axis)"]))
      assertClose(softmax(fixture.matrix, alongAxis: axis), expectedSoftmax)
      assertClose(logSoftmax(fixture.matrix, alongAxis: axis), expectedLog)
    }
    assertClose(
      ActivationFunction.softmax(fixture.matrix),
      Tensor(shape: shape, scalars: fixture.softmax["-1"] ?? [])
    )
    assertClose(
      ActivationFunction.logSoftmax(fixture.matrix),
      Tensor(shape: shape, scalars: fixture.logSoftmax["-1"] ?? []))
  }

  func testNamesMatchKerasSerialization() throws {
    let fixture = try loadFixture()
    XCTAssertFalse(fixture.serializedNames.isEmpty)
    for (identifier, serialized) in fixture.serializedNames {
      XCTAssertEqual(try ActivationFunction(identifier).name, serialized, identifier)
    }
    XCTAssertEqual(ActivationFunction.swish.name, "silu")
    XCTAssertEqual(ActivationFunction.hardSwish.name, "hard_silu")
    XCTAssertEqual(ActivationFunction.logSoftmax.name, "log_softmax")
    XCTAssertEqual(ActivationFunction.leakyRelu.name, "leaky_relu")
    XCTAssertEqual(ActivationFunction.swish, ActivationFunction.silu)
    XCTAssertNotEqual(ActivationFunction.relu, ActivationFunction.relu6)
    XCTAssertEqual("\(ActivationFunction.hardSigmoid)", "hard_sigmoid")
  }

  func testEveryBuiltInRoundTripsThroughItsName() throws {
    for activation in ActivationFunction.builtIns {
      XCTAssertEqual(try ActivationFunction(activation.name), activation)
    }
    XCTAssertEqual(ActivationFunction.identifiers.count, ActivationFunction.builtIns.count + 2)
  }

  func testUnknownIdentifierThrowsWithTheValidList() {
    // A literal would be coerced through ExpressibleByStringLiteral; names read at run
    // time go through the throwing initializer.
    let (unknown, capitalized, empty) = ("relu7", "Relu", "")
    XCTAssertThrowsError(try ActivationFunction(unknown)) { error in
      guard let error = error as? SwiftKerasError else {
        return XCTFail("expected SwiftKerasError, got \(error)")
      }
      XCTAssertEqual(error.kind, .unknownIdentifier)
      XCTAssertTrue(error.message.contains("\"relu7\""), error.message)
      XCTAssertTrue(error.message.contains("activation"), error.message)
      for name in ["relu", "gelu", "swish", "hard_silu", "softmax"] {
        XCTAssertTrue(error.message.contains(name), "\(name) missing from: \(error.message)")
      }
    }
    XCTAssertThrowsError(try ActivationFunction(capitalized))
    XCTAssertThrowsError(try ActivationFunction(empty))
  }

  func testStringLiteralNamesAnActivationOrWaitsToThrow() throws {
    let relu: ActivationFunction = "relu"
    XCTAssertEqual(relu, .relu)
    let typo: ActivationFunction = "rleu"
    XCTAssertThrowsError(try typo.validated()) { error in
      XCTAssertTrue("\(error)".contains("gelu"), "\(error)")
    }
  }

  func testCustomActivation() {
    let doubled = ActivationFunction.custom(name: "doubled") { $0 * 2 }
    XCTAssertEqual(doubled.name, "doubled")
    XCTAssertEqual(doubled(Tensor([1, -2, 3])).scalars, [2, -4, 6])
    assertGradientsMatchFiniteDifferences([Tensor([0.5, -1.5])]) { xs in doubled(xs[0]) }
  }

  func testReluArgumentsByHand() {
    let x = Tensor([-10, -5, 0, 5, 10])
    // The examples in Keras's relu docstring.
    XCTAssertEqual(relu(x).scalars, [0, 0, 0, 5, 10])
    XCTAssertEqual(relu(x, negativeSlope: 0.5).scalars, [-5, -2.5, 0, 5, 10])
    XCTAssertEqual(relu(x, maxValue: 5).scalars, [0, 0, 0, 5, 5])
    XCTAssertEqual(relu(x, threshold: 5).scalars, [0, 0, 0, 0, 10])
  }

  func testOneArgumentFormsAreFunctionValues() {
    let x = Tensor([-2, -0.3, 0.4, 3])
    let functions: [(Tensor) -> Tensor] = [
      relu, leakyRelu, elu, celu, gelu, squareplus, softShrink, hardShrink,
    ]
    let expected: [Tensor] = [
      relu(x, negativeSlope: 0), leakyRelu(x, negativeSlope: 0.2), elu(x, alpha: 1),
      celu(x, alpha: 1), gelu(x, approximate: false), squareplus(x, b: 4),
      softShrink(x, threshold: 0.5), hardShrink(x, threshold: 0.5),
    ]
    for (f, e) in zip(functions, expected) { XCTAssertEqual(f(x), e) }
  }

  func testLinearIsTheIdentity() {
    let x = Tensor([[1, -2], [3, 0.5]])
    XCTAssertEqual(linear(x), x)
    XCTAssertEqual(ActivationFunction.linear(x), x)
  }

  /// Points away from every kink (0, ±0.5, ±1, ±3, 6 and the thresholds used below) by more than
  /// the finite-difference step.
  private let smoothPoints = Tensor([
    -7.3, -3.4, -2.2, -0.9, -0.35, 0.15, 0.45, 1.1, 2.3, 2.8, 4.4, 5.6, 7.7,
  ])

  func testGradientsMatchFiniteDifferences() {
    let functions: [(String, (Tensor) -> Tensor)] = [
      ("relu", { relu($0) }),
      ("relu slope", { relu($0, negativeSlope: 0.3) }),
      ("relu max", { relu($0, maxValue: 5) }),
      ("relu threshold", { relu($0, threshold: 1.5) }),
      ("relu all", { relu($0, negativeSlope: 0.1, maxValue: 4, threshold: 0.7) }),
      ("relu slope+max", { relu($0, negativeSlope: 0.2, maxValue: 2.5) }),
      ("relu6", relu6), ("sigmoid", sigmoid), ("tanh", tanh),
      ("gelu", { gelu($0) }), ("gelu approximate", { gelu($0, approximate: true) }),
      ("leaky_relu", { leakyRelu($0) }),
      ("leaky_relu 0.01", { leakyRelu($0, negativeSlope: 0.01) }),
      ("elu", { elu($0) }), ("elu 0.5", { elu($0, alpha: 0.5) }), ("selu", selu),
      ("softplus", softplus), ("softsign", softsign), ("silu", silu), ("swish", swish),
      ("hard_sigmoid", hardSigmoid), ("hard_silu", hardSilu), ("hard_swish", hardSwish),
      ("exponential", exponential), ("celu", { celu($0) }), ("celu 0.5", { celu($0, alpha: 0.5) }),
      ("hard_tanh", hardTanh), ("log_sigmoid", logSigmoid), ("mish", mish),
      ("tanh_shrink", tanhShrink), ("squareplus", { squareplus($0) }),
      ("squareplus 1", { squareplus($0, b: 1) }), ("sparse_plus", sparsePlus),
      ("sparse_sigmoid", sparseSigmoid), ("soft_shrink", { softShrink($0) }),
      ("soft_shrink 1", { softShrink($0, threshold: 1) }), ("hard_shrink", { hardShrink($0) }),
      ("threshold", { threshold($0, threshold: 0.3, defaultValue: -2) }),
    ]
    for (name, f) in functions {
      let before = testRun?.failureCount ?? 0
      assertGradientsMatchFiniteDifferences([smoothPoints], epsilon: 1e-3, tolerance: 5e-3) { xs in
        f(xs[0])
      }
      XCTAssertEqual(testRun?.failureCount ?? 0, before, "gradient of \(name)")
    }
  }

  func testEnumGradientsMatchFiniteDifferences() throws {
    let matrix = Tensor(shape: [2, 4], scalars: [0.3, -1.2, 2.0, 0.7, -0.4, 1.5, -2.2, 0.1])
    for activation in ActivationFunction.builtIns {
      let before = testRun?.failureCount ?? 0
      assertGradientsMatchFiniteDifferences([matrix], epsilon: 1e-3, tolerance: 5e-3) { xs in
        activation(xs[0])
      }
      XCTAssertEqual(testRun?.failureCount ?? 0, before, "gradient of \(activation.name)")
    }
  }

  /// The kernels' own tanh, expm1, log1p and sigmoid against Double-precision Foundation,
  /// over magnitudes from 1e-7 to 80 (both signs), within 1e-6 relative.
  func testScalarHelpersMatchDoublePrecision() {
    var points: [Float] = [0, .infinity, -.infinity]
    var magnitude: Float = 1e-7
    while magnitude < 80 {
      points += [magnitude, -magnitude]
      magnitude *= 1.013
    }
    func check(_ name: String, _ got: Float, _ expected: Double, _ v: Float) {
      if expected.isInfinite {
        XCTAssertEqual(Double(got), expected, "\(name)(\(v))")
        return
      }
      let error = abs(Double(got) - expected)
      XCTAssertLessThanOrEqual(
        error, 1e-6 * abs(expected) + 1e-38, "\(name)(\(v)) = \(got), expected \(expected)")
    }
    for v in points {
      let d = Double(v)
      check("tanh", hyperbolicTangent(v), Foundation.tanh(d), v)
      check("sigmoid", logisticSigmoid(v), 1 / (1 + Foundation.exp(-d)), v)
      if v < 60 { check("expm1", accurateExpm1(v), Foundation.expm1(d), v) }
      if v >= 0 && v < 60 { check("log1p", accurateLog1p(v), Foundation.log1p(d), v) }
      check("softplus", softplusValue(v), max(d, 0) + Foundation.log1p(Foundation.exp(-abs(d))), v)
    }
  }

  func testGradientAtLargeMagnitudesIsFinite() {
    let x = Tensor([-80, -20, 20, 80])
    for activation in [
      ActivationFunction.sigmoid, .tanh, .softplus, .silu, .gelu, .elu, .selu, .celu, .logSigmoid,
      .mish,
      .tanhShrink, .squareplus,
    ] {
      let tape = GradientTape()
      let watched = tape.watch(x)
      let y = tape.record { activation(watched).sum() }
      let g = tape.gradient(of: y, wrt: watched)
      XCTAssertNotNil(g, activation.name)
      XCTAssertTrue(
        g?.scalars.allSatisfy(\.isFinite) ?? false, "\(activation.name): \(g?.scalars ?? [])")
      XCTAssertTrue(activation(x).scalars.allSatisfy(\.isFinite), activation.name)
    }
  }
}

/// Sigmoid, tanh and silu run on the vector exp kernel, block by block and split over the cores
/// for large tensors: every element must still be right.
final class VectorActivationTests: XCTestCase {
  func testLargeTensorsMatchDoublePrecision() {
    // 300,001 values over [-30, 30] (several blocks and both cores), plus tiny ones where
    // tanh switches to its series, and the special values.
    var values = (0..<300_001).map { Float($0) * 0.000_2 - 30 }
    values += [0, -0.0, 1e-8, -1e-8, 0.099_99, 0.1, 0.100_01, 90, -90, .infinity, -.infinity]
    let x = Tensor(values)
    let s = sigmoid(x).scalars
    let t = tanh(x).scalars
    let u = silu(x).scalars
    var worstSigmoid: Float = 0
    var worstTanh: Float = 0
    var worstSilu: Float = 0
    for (i, v) in values.enumerated() {
      let exactSigmoid = Float(1 / (1 + Foundation.exp(-Double(v))))
      // Beyond -88, exp(-x) overflows and silu is -0, as Keras's x * sigmoid(x) in float32.
      if abs(v) < 88 {
        let exactSilu = Float(Double(v) / (1 + Foundation.exp(-Double(v))))
        worstSilu = max(
          worstSilu, abs(u[i] - exactSilu) / max(exactSilu.ulp, .leastNormalMagnitude))
      }
      let exactTanh = Float(Foundation.tanh(Double(v)))
      worstSigmoid = max(
        worstSigmoid, abs(s[i] - exactSigmoid) / max(exactSigmoid.ulp, .leastNormalMagnitude))
      worstTanh = max(worstTanh, abs(t[i] - exactTanh) / max(exactTanh.ulp, .leastNormalMagnitude))
    }
    XCTAssertLessThanOrEqual(worstSigmoid, 2, "sigmoid, in ulps")
    XCTAssertLessThanOrEqual(worstTanh, 3, "tanh, in ulps")
    XCTAssertLessThanOrEqual(worstSilu, 3, "silu, in ulps")
    XCTAssertEqual(silu(Tensor([-90, 90])).scalars, [-0.0, 90])
    XCTAssertTrue(sigmoid(Tensor([.nan])).scalars[0].isNaN)
    XCTAssertTrue(tanh(Tensor([.nan])).scalars[0].isNaN)
    XCTAssertEqual(tanh(Tensor([-0.0])).scalars[0].sign, .minus)
  }
}
