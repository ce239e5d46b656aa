import SwiftKeras
import SwiftKerasCore
import SwiftKerasLayers
import TestSupport
import XCTest

/// `Conv2D(…, activation: .relu)` then `MaxPooling2D` called as a pair: which pairs fuse,
/// and that a fused pair computes what the two layers compute one after the other, weight
/// gradients included, and checks its input as they do.
final class ConvPoolFusionTests: XCTestCase {
  func testWhichPairsFuse() {
    let conv = Conv2D(8, kernelSize: 3, activation: .relu)
    XCTAssertTrue(conv.fuses(with: MaxPooling2D(2)))
    XCTAssertTrue(conv.fuses(with: MaxPooling2D([3, 2])))
    XCTAssertTrue(Conv2D(8, kernelSize: 5, activation: .relu).fuses(with: MaxPooling2D(2)))
    XCTAssertFalse(conv.fuses(with: MaxPooling2D(2, strides: 1)), "overlapping windows")
    XCTAssertFalse(conv.fuses(with: MaxPooling2D(2, padding: "same")))
    XCTAssertFalse(conv.fuses(with: AveragePooling2D(2)))
    XCTAssertFalse(conv.fuses(with: Dense(3)))
    XCTAssertFalse(Conv2D(8, kernelSize: 3).fuses(with: MaxPooling2D(2)), "no ReLU")
    XCTAssertFalse(
      Conv2D(8, kernelSize: 3, padding: "same", activation: .relu).fuses(with: MaxPooling2D(2)))
    XCTAssertFalse(
      Conv2D(8, kernelSize: 3, strides: 2, activation: .relu).fuses(with: MaxPooling2D(2)))
    XCTAssertFalse(
      Conv2D(8, kernelSize: 3, dilationRate: 2, activation: .relu).fuses(with: MaxPooling2D(2)))
    XCTAssertFalse(
      Conv2D(8, kernelSize: 3, groups: 2, activation: .relu).fuses(with: MaxPooling2D(2)))
    XCTAssertFalse(
      Conv2D(8, kernelSize: 3, activation: .relu, activityRegularizer: L2(0.01))
        .fuses(with: MaxPooling2D(2)),
      "the activity regularizer needs the convolution's output")
    XCTAssertFalse(Conv1D(8, kernelSize: 3, activation: .relu).fuses(with: MaxPooling1D(2)))
    XCTAssertFalse(MaxPooling2D(2).fuses(with: conv))
  }

  /// Output and weight gradients of `conv` then `pool`, called as a pair or one by one.
  private func run(
    _ conv: Conv2D, _ pool: MaxPooling2D, _ x: Tensor, paired: Bool
  ) throws -> [Tensor] {
    let tape = GradientTape()
    var y = Tensor(0)
    let loss = try tape.record { () throws -> Tensor in
      y = paired ? try conv(x, then: pool, training: true) : try pool(try conv(x, training: true))
      var generator = RandomGenerator(seed: 4)
      return (y * Tensor.randomNormal(shape: y.shape, generator: &generator)).sum()
    }
    return [y] + tape.gradient(of: loss, wrt: conv.trainableWeights).map { $0! }
  }

  func testPairComputesWhatTheLayersComputeOneByOne() throws {
    var generator = RandomGenerator(seed: 2)
    for (channels, filters, kernel, poolSize) in [(1, 32, 3, 2), (3, 12, 2, 3), (1, 8, 3, 2)] {
      let x = Tensor.randomNormal(shape: [5, 11, 12, channels], generator: &generator)
      setRandomSeed(3)
      let conv = Conv2D(
        filters, kernelSize: IntOrTuple(kernel), activation: .relu,
        biasInitializer: RandomNormal(stddev: 0.1))
      let pool = MaxPooling2D(IntOrTuple(poolSize))
      let paired = try run(conv, pool, x, paired: true)
      let alone = try run(conv, pool, x, paired: false)
      for (name, (a, b)) in zip(["output", "kernel grad", "bias grad"], zip(paired, alone)) {
        XCTAssertEqual(a.shape, b.shape, name)
        let worst = zip(a.scalars, b.scalars).map { abs($0 - $1) }.max() ?? 0
        let scale = b.scalars.map { abs($0) }.max() ?? 1
        XCTAssertLessThanOrEqual(worst, 1e-5 * Swift.max(scale, 1), "\(filters) filters: \(name)")
      }
    }
  }

  func testPairChecksItsInputAsTheLayersDo() throws {
    let conv = Conv2D(8, kernelSize: 3, activation: .relu, name: "first_conv")
    let pool = MaxPooling2D(2)
    XCTAssertEqual(try conv(Tensor.zeros([2, 9, 9, 1]), then: pool).shape, [2, 3, 3, 8])
    XCTAssertThrowsError(try conv(Tensor.zeros([2, 9, 9, 3]), then: pool)) { error in
      XCTAssertTrue("\(error)".contains("first_conv"), "\(error)")
    }
    XCTAssertThrowsError(try conv(Tensor.zeros([2, 3, 9, 1]), then: pool)) { error in
      XCTAssertTrue("\(error)".contains(pool.name), "\(error)")
    }
  }
}
