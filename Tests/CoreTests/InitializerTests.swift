import Foundation
import SwiftKeras
import TestSupport
import XCTest

@testable import SwiftKerasCore

/// Initializers against Keras 3's formulas: statistics of large draws, exact bounds,
/// orthogonality, exact constants, seeding and identifiers.
final class InitializerTests: XCTestCase {
  private let dense = [400, 300]
  private let conv = [3, 3, 64, 128]

  /// Mean, variance and largest magnitude of the elements, in Double.
  private func statistics(_ t: Tensor) -> (mean: Double, variance: Double, maxAbs: Double) {
    let values = t.scalars.map(Double.init)
    let n = Double(values.count)
    let mean = values.reduce(0, +) / n
    let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n
    let maxAbs = values.reduce(0) { max($0, abs($1)) }
    return (mean, variance, maxAbs)
  }

  // MARK: - Fans

  func testComputeFansFollowsKeras() {
    XCTAssertTrue(computeFans([]) == (1, 1))
    XCTAssertTrue(computeFans([7]) == (7, 7))
    XCTAssertTrue(computeFans([400, 300]) == (400, 300))
    // Receptive field 3 * 3 = 9.
    XCTAssertTrue(computeFans([3, 3, 64, 128]) == (576, 1152))
    XCTAssertTrue(computeFans([5, 4, 6]) == (20, 30))
    XCTAssertTrue(computeFans([2, 3, 4], inputAxes: [0, 1], outputAxes: [2]) == (6, 4))
    XCTAssertTrue(computeFans([2, 3, 4], inputAxes: [-1], outputAxes: [0]) == (4, 2))
    // Axes are used only when both are given.
    XCTAssertTrue(computeFans([2, 3, 4], inputAxes: [0]) == (6, 8))
  }

  // MARK: - Variance scaling family

  /// Checks a uniform draw on [-limit, limit): bounds, mean and variance limit² / 3.
  private func assertUniform(
    _ initializer: some Initializer, shape: [Int], limit: Double, file: StaticString = #filePath,
    line: UInt = #line
  ) {
    var rng = RandomGenerator(seed: 11)
    let t = initializer(shape: shape, generator: &rng)
    XCTAssertEqual(t.shape, shape, file: file, line: line)
    let s = statistics(t)
    let n = Double(t.count)
    XCTAssertLessThanOrEqual(s.maxAbs, limit * (1 + 1e-6), "bound", file: file, line: line)
    XCTAssertGreaterThan(s.maxAbs, limit * 0.999, "reaches the bound", file: file, line: line)
    XCTAssertLessThan(
      abs(s.mean), 5 * limit / (3.0.squareRoot() * n.squareRoot()), file: file, line: line)
    XCTAssertEqual(
      s.variance, limit * limit / 3, accuracy: 0.02 * limit * limit / 3, file: file, line: line)
  }

  /// Checks a normal truncated at two standard deviations of the underlying normal,
  /// whose standard deviation after truncation is `stddev`.
  private func assertTruncatedNormal(
    _ initializer: some Initializer, shape: [Int], stddev: Double, file: StaticString = #filePath,
    line: UInt = #line
  ) {
    var rng = RandomGenerator(seed: 12)
    let t = initializer(shape: shape, generator: &rng)
    XCTAssertEqual(t.shape, shape, file: file, line: line)
    let s = statistics(t)
    let n = Double(t.count)
    let underlying = stddev / 0.87962566103423978
    XCTAssertLessThanOrEqual(
      s.maxAbs, 2 * underlying * (1 + 1e-6), "truncation", file: file, line: line)
    XCTAssertGreaterThan(
      s.maxAbs, 1.99 * underlying, "reaches the truncation", file: file, line: line)
    XCTAssertLessThan(abs(s.mean), 5 * stddev / n.squareRoot(), file: file, line: line)
    XCTAssertEqual(
      s.variance, stddev * stddev, accuracy: 0.03 * stddev * stddev, file: file, line: line)
  }

  func testGlorotUniform() {
    assertUniform(GlorotUniform(), shape: dense, limit: (6.0 / 700).squareRoot())
    assertUniform(GlorotUniform(), shape: conv, limit: (6.0 / (576 + 1152)).squareRoot())
  }

  func testGlorotNormal() {
    assertTruncatedNormal(GlorotNormal(), shape: dense, stddev: (2.0 / 700).squareRoot())
    assertTruncatedNormal(GlorotNormal(), shape: conv, stddev: (2.0 / (576 + 1152)).squareRoot())
  }

  func testHeUniform() {
    assertUniform(HeUniform(), shape: dense, limit: (6.0 / 400).squareRoot())
    assertUniform(HeUniform(), shape: conv, limit: (6.0 / 576).squareRoot())
  }

  func testHeNormal() {
    assertTruncatedNormal(HeNormal(), shape: dense, stddev: (2.0 / 400).squareRoot())
    assertTruncatedNormal(HeNormal(), shape: conv, stddev: (2.0 / 576).squareRoot())
  }

  func testLecunUniform() {
    assertUniform(LecunUniform(), shape: dense, limit: (3.0 / 400).squareRoot())
    assertUniform(LecunUniform(), shape: conv, limit: (3.0 / 576).squareRoot())
  }

  func testLecunNormal() {
    assertTruncatedNormal(LecunNormal(), shape: dense, stddev: (1.0 / 400).squareRoot())
    assertTruncatedNormal(LecunNormal(), shape: conv, stddev: (1.0 / 576).squareRoot())
  }

  func testVarianceScalingModesAndDistributions() throws {
    // fan_out of the dense shape is 300; fan_avg of the conv kernel is 864.
    assertUniform(
      try VarianceScaling(scale: 0.5, mode: .fanOut, distribution: .uniform), shape: dense,
      limit: (3 * 0.5 / 300).squareRoot())
    assertTruncatedNormal(
      try VarianceScaling(scale: 3, mode: .fanAvg), shape: conv, stddev: (3.0 / 864).squareRoot())
    // "normal" is Keras's old name for the truncated normal.
    assertTruncatedNormal(
      try VarianceScaling(scale: 2, mode: "fan_in", distribution: "normal"), shape: dense,
      stddev: (2.0 / 400).squareRoot())

    var rng = RandomGenerator(seed: 13)
    let plain = try VarianceScaling(scale: 2, mode: .fanIn, distribution: .untruncatedNormal)
    let s = statistics(plain(shape: dense, generator: &rng))
    let expected = 2.0 / 400
    XCTAssertEqual(s.variance, expected, accuracy: 0.02 * expected)
    // An untruncated normal of 120 000 draws goes beyond 4 standard deviations.
    XCTAssertGreaterThan(s.maxAbs, 4 * expected.squareRoot())

    // A vector of n counts n units in and out.
    assertUniform(
      try VarianceScaling(scale: 1, mode: .fanIn, distribution: .uniform), shape: [50_000],
      limit: (3.0 / 50_000).squareRoot())
  }

  func testVarianceScalingWithAxes() throws {
    // Fans from axes: in = 4 * 5 = 20, out = 6.
    let initializer = try VarianceScaling(
      scale: 1, mode: .fanIn, distribution: .uniform, inputAxes: [0, 1], outputAxes: [2])
    assertUniform(initializer, shape: [4, 5, 6, 200], limit: (3.0 / 20).squareRoot())
  }

  func testVarianceScalingRejectsBadArguments() {
    XCTAssertThrowsError(try VarianceScaling(scale: 0))
    XCTAssertThrowsError(try VarianceScaling(scale: -1))
    XCTAssertThrowsError(try VarianceScaling(scale: .nan))
    XCTAssertThrowsError(try VarianceScaling(mode: "fan_sum")) { error in
      let message = (error as? SwiftKerasError)?.message ?? ""
      XCTAssertTrue(message.contains("fan_sum") && message.contains("fan_avg"), message)
    }
    XCTAssertThrowsError(try VarianceScaling(mode: "fan_in", distribution: "gaussian")) { error in
      let message = (error as? SwiftKerasError)?.message ?? ""
      XCTAssertTrue(message.contains("untruncated_normal"), message)
    }
    XCTAssertEqual(
      try VarianceScaling(mode: "fan_in", distribution: "UNIFORM").distribution, .uniform)
  }

  // MARK: - Fixed distributions

  func testRandomNormal() {
    var rng = RandomGenerator(seed: 14)
    let s = statistics(RandomNormal(mean: 1, stddev: 0.5)(shape: dense, generator: &rng))
    XCTAssertEqual(s.mean, 1, accuracy: 5 * 0.5 / 120_000.0.squareRoot())
    XCTAssertEqual(s.variance, 0.25, accuracy: 0.02 * 0.25)
    let defaults = statistics(RandomNormal()(shape: dense, generator: &rng))
    XCTAssertEqual(defaults.variance, 0.0025, accuracy: 0.02 * 0.0025)
    XCTAssertEqual(defaults.mean, 0, accuracy: 5 * 0.05 / 120_000.0.squareRoot())
  }

  func testRandomUniform() {
    var rng = RandomGenerator(seed: 15)
    assertUniform(RandomUniform(), shape: dense, limit: 0.05)
    let t = RandomUniform(minval: 2, maxval: 3)(shape: conv, generator: &rng)
    XCTAssertTrue(t.scalars.allSatisfy { $0 >= 2 && $0 < 3 })
    let s = statistics(t)
    XCTAssertEqual(s.mean, 2.5, accuracy: 0.005)
    XCTAssertEqual(s.variance, 1.0 / 12, accuracy: 0.02 / 12)
  }

  func testTruncatedNormal() {
    // Keras's stddev is the underlying normal's: truncation leaves 0.87962566 of it.
    assertTruncatedNormal(TruncatedNormal(), shape: dense, stddev: 0.05 * 0.87962566103423978)
    var rng = RandomGenerator(seed: 16)
    let t = TruncatedNormal(mean: -1, stddev: 0.1)(shape: conv, generator: &rng)
    XCTAssertTrue(t.scalars.allSatisfy { abs($0 + 1) <= 0.2 + 1e-6 })
    XCTAssertEqual(statistics(t).mean, -1, accuracy: 0.001)
  }

  // MARK: - Orthogonal

  /// The Gram matrix `m mᵀ` (or `mᵀ m`) compared with `gain² I`.
  private func assertOrthonormal(
    _ m: Tensor, rows: Bool, gain: Float = 1, file: StaticString = #filePath, line: UInt = #line
  ) {
    let gram = rows ? matmul(m, m, transposeB: true) : matmul(m, m, transposeA: true)
    let n = gram.shape[0]
    assertClose(gram, Tensor.eye(n) * (gain * gain), tolerance: 2e-5, file: file, line: line)
  }

  func testOrthogonalTallHasOrthonormalColumns() {
    var rng = RandomGenerator(seed: 17)
    let q = Orthogonal()(shape: dense, generator: &rng)
    XCTAssertEqual(q.shape, dense)
    assertOrthonormal(q, rows: false)
  }

  func testOrthogonalWideHasOrthonormalRows() {
    var rng = RandomGenerator(seed: 18)
    let q = Orthogonal(gain: 2)(shape: [64, 256], generator: &rng)
    XCTAssertEqual(q.shape, [64, 256])
    assertOrthonormal(q, rows: true, gain: 2)
  }

  func testOrthogonalSquareAndConvolutionShapes() {
    var rng = RandomGenerator(seed: 19)
    let square = Orthogonal()(shape: [50, 50], generator: &rng)
    assertOrthonormal(square, rows: true)
    assertOrthonormal(square, rows: false)
    // [3, 3, 16, 32] is a 144 × 32 matrix with orthonormal columns.
    let kernel = Orthogonal()(shape: [3, 3, 16, 32], generator: &rng)
    XCTAssertEqual(kernel.shape, [3, 3, 16, 32])
    assertOrthonormal(kernel.reshaped(to: [144, 32]), rows: false)
    // [2, 4, 40] is 8 × 40: wide.
    let wide = Orthogonal()(shape: [2, 4, 40], generator: &rng)
    assertOrthonormal(wide.reshaped(to: [8, 40]), rows: true)
  }

  /// Keras keeps the Q of the QR decomposition of a normal matrix with R's diagonal made
  /// positive: Qᵀ A must be upper triangular with a positive diagonal, for the normal
  /// matrix A of the taller orientation drawn from the same seed.
  func testOrthogonalIsTheQOfANormalMatrixWithPositiveR() {
    for (shape, tall) in [([30, 12], true), ([12, 30], false)] {
      var unused = RandomGenerator(seed: 0)
      let q = Orthogonal(seed: 5)(shape: shape, generator: &unused)
      var rng = RandomGenerator(seed: 5)
      let long = max(shape[0], shape[1])
      let short = min(shape[0], shape[1])
      let a = Tensor.randomNormal(shape: [long, short], generator: &rng)
      // Q as [long, short] with orthonormal columns.
      let columns = tall ? q : q.transposed()
      let r = matmul(columns, a, transposeA: true)
      for i in 0..<short {
        XCTAssertGreaterThan(r[i, i], 0.1, "diagonal \(i) of R for \(shape)")
        for j in 0..<i {
          XCTAssertEqual(r[i, j], 0, accuracy: 1e-4, "R[\(i), \(j)] for \(shape)")
        }
      }
    }
  }

  func testOrthogonalRejectsVectors() {
    XCTAssertThrowsError(try Orthogonal().validate(shape: [10])) { error in
      XCTAssertEqual((error as? SwiftKerasError)?.kind, .invalidArgument)
    }
    XCTAssertNoThrow(try Orthogonal().validate(shape: [3, 3, 4]))
  }

  // MARK: - Constants

  func testConstantsAreExact() {
    var rng = RandomGenerator(seed: 20)
    let zeros = Zeros()(shape: [3, 4], generator: &rng)
    XCTAssertEqual(zeros.shape, [3, 4])
    XCTAssertEqual(zeros.scalars, [Float](repeating: 0, count: 12))
    XCTAssertEqual(
      Ones()(shape: [2, 2, 2], generator: &rng).scalars, [Float](repeating: 1, count: 8))
    XCTAssertEqual(
      Constant(value: 0.25)(shape: [5], generator: &rng).scalars, [0.25, 0.25, 0.25, 0.25, 0.25])
    XCTAssertEqual(Constant(value: -3)(shape: [], generator: &rng).scalars, [-3])
    XCTAssertEqual(Constant()(shape: [2], generator: &rng).scalars, [0, 0])
  }

  func testIdentityIsEyeTimesGain() {
    var rng = RandomGenerator(seed: 21)
    XCTAssertEqual(
      Identity()(shape: [3, 3], generator: &rng), Tensor([[1, 0, 0], [0, 1, 0], [0, 0, 1]]))
    XCTAssertEqual(
      Identity(gain: 2)(shape: [2, 3], generator: &rng), Tensor([[2, 0, 0], [0, 2, 0]]))
    XCTAssertEqual(
      Identity(gain: 0.5)(shape: [3, 2], generator: &rng), Tensor([[0.5, 0], [0, 0.5], [0, 0]]))
    XCTAssertThrowsError(try Identity().validate(shape: [2, 2, 2]))
    XCTAssertThrowsError(try Identity().validate(shape: [4]))
    XCTAssertNoThrow(try Identity().validate(shape: [4, 2]))
    XCTAssertThrowsError(try Zeros().validate(shape: [2, -1]))
  }

  // MARK: - Seeds

  func testSeededInitializersIgnoreTheGeneratorAndRepeat() {
    let seeded: [any Initializer] = [
      GlorotUniform(seed: 42), GlorotNormal(seed: 42), HeUniform(seed: 42), HeNormal(seed: 42),
      LecunUniform(seed: 42), LecunNormal(seed: 42), RandomNormal(seed: 42),
      RandomUniform(seed: 42), TruncatedNormal(seed: 42), Orthogonal(seed: 42),
    ]
    for initializer in seeded {
      var first = RandomGenerator(seed: 1)
      var second = RandomGenerator(seed: 2)
      let a = initializer(shape: [20, 10], generator: &first)
      let b = initializer(shape: [20, 10], generator: &second)
      XCTAssertEqual(a, b, initializer.name)
      var untouched = RandomGenerator(seed: 1)
      XCTAssertEqual(first.next(), untouched.next(), "\(initializer.name) left the generator alone")
    }
    var g = RandomGenerator(seed: 1)
    XCTAssertNotEqual(
      GlorotUniform(seed: 43)(shape: [20, 10], generator: &g),
      GlorotUniform(seed: 42)(shape: [20, 10], generator: &g))
    XCTAssertNotEqual(
      Orthogonal(seed: 43)(shape: [20, 10], generator: &g),
      Orthogonal(seed: 42)(shape: [20, 10], generator: &g))
  }

  func testUnseededInitializersFollowTheGenerator() {
    for initializer in [
      GlorotUniform() as any Initializer, HeNormal(), Orthogonal(), RandomNormal(),
    ] {
      var a = RandomGenerator(seed: 3)
      var b = RandomGenerator(seed: 3)
      var c = RandomGenerator(seed: 4)
      let x = initializer(shape: [20, 10], generator: &a)
      XCTAssertEqual(x, initializer(shape: [20, 10], generator: &b), initializer.name)
      XCTAssertNotEqual(x, initializer(shape: [20, 10], generator: &c), initializer.name)
      // The generator advanced, so a second draw differs.
      XCTAssertNotEqual(x, initializer(shape: [20, 10], generator: &a), initializer.name)
    }
  }

  func testGlobalSeedMakesUnseededDrawsRepeat() {
    setRandomSeed(99)
    let a = GlorotUniform()(shape: [8, 8])
    setRandomSeed(99)
    let b = GlorotUniform()(shape: [8, 8])
    XCTAssertEqual(a, b)
  }

  // MARK: - Identifiers and configs

  func testEveryKerasIdentifierMakesItsClass() throws {
    // keras.initializers.get's string names in Keras 3.15 (STFT aside).
    let expected: [String: String] = [
      "Constant": "Constant", "constant": "Constant", "GlorotNormal": "GlorotNormal",
      "glorot_normal": "GlorotNormal", "GlorotUniform": "GlorotUniform",
      "glorot_uniform": "GlorotUniform", "HeNormal": "HeNormal", "he_normal": "HeNormal",
      "HeUniform": "HeUniform", "he_uniform": "HeUniform", "Identity": "Identity",
      "identity": "Identity", "IdentityInitializer": "Identity", "LecunNormal": "LecunNormal",
      "lecun_normal": "LecunNormal", "LecunUniform": "LecunUniform",
      "lecun_uniform": "LecunUniform", "Ones": "Ones", "ones": "Ones", "one": "Ones",
      "Orthogonal": "Orthogonal", "orthogonal": "Orthogonal",
      "OrthogonalInitializer": "Orthogonal", "RandomNormal": "RandomNormal",
      "random_normal": "RandomNormal", "normal": "RandomNormal", "RandomUniform": "RandomUniform",
      "random_uniform": "RandomUniform", "uniform": "RandomUniform",
      "TruncatedNormal": "TruncatedNormal", "truncated_normal": "TruncatedNormal",
      "VarianceScaling": "VarianceScaling", "variance_scaling": "VarianceScaling",
      "Zeros": "Zeros", "zeros": "Zeros", "zero": "Zeros",
    ]
    for (identifier, className) in expected {
      XCTAssertEqual(try makeInitializer(identifier).name, className, identifier)
    }
    XCTAssertEqual(Set(initializerIdentifiers), Set(expected.keys))
  }

  func testUnknownIdentifierThrowsWithTheValidList() {
    XCTAssertThrowsError(try makeInitializer("glorot_uniformm")) { error in
      guard let error = error as? SwiftKerasError else { return XCTFail("\(error)") }
      XCTAssertEqual(error.kind, .unknownIdentifier)
      for part in ["\"glorot_uniformm\"", "initializer", "glorot_uniform", "he_normal", "zeros"] {
        XCTAssertTrue(error.message.contains(part), "\(part) missing from: \(error.message)")
      }
    }
    XCTAssertThrowsError(try makeInitializer(config: ["class_name": "Glorot", "config": [:]]))
    XCTAssertThrowsError(try makeInitializer(config: 3))
  }

  func testConfigsHaveKerasKeys() throws {
    // Keras 3.15's get_config() for the same initializers.
    let presetConfig: ConfigValue = ["seed": nil, "input_axes": nil, "output_axes": nil]
    for name in [
      "glorot_uniform", "glorot_normal", "he_uniform", "he_normal", "lecun_uniform", "lecun_normal",
    ] {
      XCTAssertEqual(try makeInitializer(name).getConfig(), presetConfig, name)
    }
    XCTAssertEqual(GlorotUniform(seed: 3).getConfig()["seed"], 3)
    XCTAssertEqual(Zeros().getConfig(), [:])
    XCTAssertEqual(Ones().getConfig(), [:])
    XCTAssertEqual(Constant(value: 0.5).getConfig(), ["value": 0.5])
    XCTAssertEqual(RandomNormal().getConfig(), ["seed": nil, "mean": 0.0, "stddev": 0.05])
    XCTAssertEqual(RandomUniform().getConfig(), ["seed": nil, "minval": -0.05, "maxval": 0.05])
    XCTAssertEqual(TruncatedNormal().getConfig(), ["seed": nil, "mean": 0.0, "stddev": 0.05])
    XCTAssertEqual(
      try makeInitializer("variance_scaling").getConfig(),
      [
        "seed": nil, "scale": 1.0, "mode": "fan_in", "distribution": "truncated_normal",
        "input_axes": nil, "output_axes": nil,
      ])
    XCTAssertEqual(Orthogonal(gain: 2).getConfig(), ["seed": nil, "gain": 2.0])
    XCTAssertEqual(
      GlorotUniform(seed: 3).serialized(),
      [
        "module": "keras.initializers", "class_name": "GlorotUniform",
        "config": ["seed": 3, "input_axes": nil, "output_axes": nil], "registered_name": nil,
      ])
  }

  func testConfigsRoundTrip() throws {
    let initializers: [any Initializer] = [
      GlorotUniform(seed: 1), GlorotNormal(), HeUniform(seed: 7, inputAxes: [0], outputAxes: [1]),
      HeNormal(), LecunUniform(), LecunNormal(seed: 2), Zeros(), Ones(), Constant(value: 1.5),
      Identity(gain: 3), RandomNormal(mean: 0.5, stddev: 2, seed: 9),
      RandomUniform(minval: -1, maxval: 4),
      TruncatedNormal(stddev: 0.2), Orthogonal(gain: 0.5, seed: 4),
      try VarianceScaling(scale: 2, mode: .fanAvg, distribution: .untruncatedNormal, seed: 8),
    ]
    for initializer in initializers {
      let rebuilt = try makeInitializer(config: initializer.serialized())
      XCTAssertEqual(rebuilt.name, initializer.name)
      XCTAssertEqual(rebuilt.getConfig(), initializer.getConfig(), initializer.name)
      // Through JSON text too.
      let text = initializer.serialized().jsonString()
      let parsed = try makeInitializer(config: try ConfigValue.parse(json: text))
      XCTAssertEqual(parsed.getConfig(), initializer.getConfig(), text)
    }
    XCTAssertEqual(try makeInitializer(config: "he_uniform").name, "HeUniform")
    let keras: ConfigValue = [
      "class_name": "VarianceScaling",
      "config": ["scale": 2.0, "mode": "fan_out", "distribution": "normal"],
    ]
    XCTAssertEqual(
      try makeInitializer(config: keras).getConfig()["distribution"], "truncated_normal")
  }

  func testBadConfigsThrow() {
    XCTAssertThrowsError(
      try makeInitializer(config: ["class_name": "RandomNormal", "config": ["mean": "zero"]])
    ) { error in
      let message = (error as? SwiftKerasError)?.message ?? ""
      XCTAssertTrue(message.contains("mean") && message.contains("number"), message)
    }
    XCTAssertThrowsError(
      try makeInitializer(config: ["class_name": "Zeros", "config": ["value": 1]])
    ) { error in
      XCTAssertTrue(((error as? SwiftKerasError)?.message ?? "").contains("value"))
    }
    XCTAssertThrowsError(
      try makeInitializer(config: ["class_name": "VarianceScaling", "config": ["scale": -1.0]]))
    XCTAssertThrowsError(
      try makeInitializer(config: ["class_name": "GlorotUniform", "config": ["seed": 1.5]]))
  }

  func testLeadingDotShorthands() {
    func name(_ initializer: any Initializer) -> String { initializer.name }
    XCTAssertEqual(name(.glorotUniform), "GlorotUniform")
    XCTAssertEqual(name(.heNormal(seed: 3)), "HeNormal")
    XCTAssertEqual(name(.zeros), "Zeros")
    XCTAssertEqual(name(.constant(0.1)), "Constant")
    XCTAssertEqual(name(.orthogonal(gain: 2)), "Orthogonal")
    XCTAssertEqual(name(.randomNormal(stddev: 1)), "RandomNormal")
    XCTAssertEqual(name(.identity), "Identity")
  }
}
