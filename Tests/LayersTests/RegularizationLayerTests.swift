import SwiftKeras
import SwiftKerasCore
import SwiftKerasLayers
import TestSupport
import XCTest

final class RegularizationLayerTests: XCTestCase {
  func testInferenceIsIdentityAsKeras() throws {
    try checkAgainstKeras("dropout", Dropout(0.5))
    try checkAgainstKeras("gaussian_noise", GaussianNoise(0.1))
    try checkAgainstKeras("gaussian_dropout", GaussianDropout(0.3))
  }

  func testDropoutAtTrainingDropsAboutRateAndScalesTheRest() throws {
    let layer = Dropout(0.3, seed: 11)
    let x = Tensor.ones([100, 100])
    let y = try layer(x, training: true)
    let values = y.scalars
    let zeros = values.filter { $0 == 0 }.count
    XCTAssertEqual(Double(zeros) / Double(values.count), 0.3, accuracy: 0.02)
    for v in values where v != 0 { XCTAssertEqual(v, 1 / 0.7, accuracy: 1e-6) }
  }

  func testDropoutIsRepeatableWithSeedOrGlobalSeed() throws {
    let x = testInput([8, 16], seed: 3)
    let a = try Dropout(0.5, seed: 5)(x, training: true)
    let b = try Dropout(0.5, seed: 5)(x, training: true)
    XCTAssertEqual(a.scalars, b.scalars)
    setRandomSeed(42)
    let c = try Dropout(0.5)(x, training: true)
    setRandomSeed(42)
    let d = try Dropout(0.5)(x, training: true)
    XCTAssertEqual(c.scalars, d.scalars)
    // Successive calls draw new masks.
    let layer = Dropout(0.5, seed: 5)
    let first = try layer(x, training: true)
    let second = try layer(x, training: true)
    XCTAssertNotEqual(first.scalars, second.scalars)
  }

  func testDropoutNoiseShapeSharesTheMask() throws {
    let layer = Dropout(0.5, noiseShape: [nil, 1, 4], seed: 2)
    let y = try layer(Tensor.ones([3, 5, 4]), training: true)
    for b in 0..<3 {
      for f in 0..<4 {
        let column = (0..<5).map { y[b, $0, f] }
        XCTAssertTrue(column.allSatisfy { $0 == column[0] }, "mask shared along axis 1")
        XCTAssertTrue(column[0] == 0 || abs(column[0] - 2) < 1e-6)
      }
    }
  }

  func testDropoutGradientIsTheMask() throws {
    let layer = Dropout(0.4, seed: 9)
    let x = testInput([4, 5], seed: 4)
    let tape = GradientTape()
    let xw = tape.watch(x)
    var y = Tensor(0)
    let total = try tape.record { () throws -> Tensor in
      y = try layer(xw, training: true)
      return y.sum()
    }
    let grad = try XCTUnwrap(tape.gradient(of: total, wrt: xw))
    XCTAssertTrue(y.scalars.contains(0), "some inputs dropped")
    for (g, (out, input)) in zip(grad.scalars, zip(y.scalars, x.scalars)) {
      XCTAssertEqual(g, out / input, accuracy: 1e-5)
    }
  }

  func testGaussianNoiseAndDropoutAtTraining() throws {
    let x = Tensor.ones([200, 100])
    let noisy = try GaussianNoise(0.5, seed: 1)(x, training: true)
    let noise = noisy.scalars.map { Double($0) - 1 }
    let mean = noise.reduce(0, +) / Double(noise.count)
    let std = (noise.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(noise.count))
      .squareRoot()
    XCTAssertEqual(mean, 0, accuracy: 0.02)
    XCTAssertEqual(std, 0.5, accuracy: 0.02)

    let dropped = try GaussianDropout(0.2, seed: 1)(x, training: true)
    let factors = dropped.scalars.map { Double($0) }
    let fmean = factors.reduce(0, +) / Double(factors.count)
    let fstd = (factors.map { ($0 - fmean) * ($0 - fmean) }.reduce(0, +) / Double(factors.count))
      .squareRoot()
    XCTAssertEqual(fmean, 1, accuracy: 0.02)
    XCTAssertEqual(fstd, (0.2 / 0.8).squareRoot(), accuracy: 0.02)
  }

  func testActivityRegularizationMatchesKeras() throws {
    let layer = ActivityRegularization(l1: 0.01, l2: 0.02)
    let reference = try checkAgainstKeras("activity_regularization", layer)
    XCTAssertEqual(layer.losses.count, 1)
    XCTAssertEqual(layer.losses.first?.scalar ?? .nan, reference.losses[0], accuracy: 1e-6)
  }

  func testActivityRegularizationPenaltyIsDifferentiable() throws {
    let layer = ActivityRegularization(l1: 0.1, l2: 0.2)
    let x = testInput([2, 3], seed: 8)
    let tape = GradientTape()
    let xw = tape.watch(x)
    let penalty = try tape.record { () throws -> Tensor in
      _ = try layer(xw)
      return layer.losses[0]
    }
    let grad = try XCTUnwrap(tape.gradient(of: penalty, wrt: xw))
    // d/dx (0.1 |x| + 0.2 x²) / batch
    for (g, v) in zip(grad.scalars, x.scalars) {
      XCTAssertEqual(g, (0.1 * (v > 0 ? 1 : -1) + 0.4 * v) / 2, accuracy: 1e-5)
    }
  }

  func testInvalidRatesThrow() {
    XCTAssertThrowsError(try Dropout(1.5)(Tensor([1, 2])))
    XCTAssertThrowsError(try GaussianDropout(1)(Tensor([1, 2])))
    XCTAssertThrowsError(try GaussianNoise(-1)(Tensor([1, 2])))
    XCTAssertThrowsError(try Dropout(0.5, noiseShape: [nil, 3])(Tensor.ones([2, 4])))
  }
}
