import SwiftKeras
import SwiftKerasCore
import SwiftKerasLayers
import SwiftKerasModels
import TestSupport
import XCTest

/// The execution plan's `Conv2D(…, activation: .relu)` → `MaxPooling2D` rule: which pairs
/// fuse, and that a fused pair computes what the two layers compute one after the other,
/// input and weight gradients included, and checks its input as they do.
final class ConvReLUMaxPoolFusionTests: XCTestCase {
  private let rule = ConvReLUMaxPoolFusion()

  func testWhichPairsFuse() {
    let conv = Conv2D(8, kernelSize: 3, activation: .relu)
    XCTAssertTrue(rule.fuses(conv, MaxPooling2D(2)))
    XCTAssertTrue(rule.fuses(conv, MaxPooling2D([3, 2])))
    XCTAssertTrue(rule.fuses(Conv2D(8, kernelSize: 5, activation: .relu), MaxPooling2D(2)))
    XCTAssertFalse(rule.fuses(conv, MaxPooling2D(2, strides: 1)), "overlapping windows")
    XCTAssertFalse(rule.fuses(conv, MaxPooling2D(2, padding: "same")))
    XCTAssertFalse(rule.fuses(conv, AveragePooling2D(2)))
    XCTAssertFalse(rule.fuses(conv, Dense(3)))
    XCTAssertFalse(rule.fuses(Conv2D(8, kernelSize: 3), MaxPooling2D(2)), "no ReLU")
    XCTAssertFalse(
      rule.fuses(Conv2D(8, kernelSize: 3, padding: "same", activation: .relu), MaxPooling2D(2)))
    XCTAssertFalse(
      rule.fuses(Conv2D(8, kernelSize: 3, strides: 2, activation: .relu), MaxPooling2D(2)))
    XCTAssertFalse(
      rule.fuses(Conv2D(8, kernelSize: 3, dilationRate: 2, activation: .relu), MaxPooling2D(2)))
    XCTAssertFalse(
      rule.fuses(Conv2D(8, kernelSize: 3, groups: 2, activation: .relu), MaxPooling2D(2)))
    XCTAssertFalse(
      rule.fuses(
        Conv2D(8, kernelSize: 3, activation: .relu, activityRegularizer: L2(0.01)), MaxPooling2D(2)),
      "the activity regularizer needs the convolution's output")
    XCTAssertFalse(rule.fuses(Conv1D(8, kernelSize: 3, activation: .relu), MaxPooling1D(2)))
    XCTAssertFalse(rule.fuses(MaxPooling2D(2), conv))
  }

  /// Output, input gradient and weight gradients of `conv` then `pool`, run as a pair or
  /// one by one; with `watchInput` false, the input gradient is left out.
  private func run(
    _ conv: Conv2D, _ pool: MaxPooling2D, _ x: Tensor, paired: Bool, watchInput: Bool = true
  ) throws -> [Tensor] {
    let tape = GradientTape(persistent: true)
    var y = Tensor(0)
    let input = watchInput ? tape.watch(x) : x
    let loss = try tape.record { () throws -> Tensor in
      y =
        paired
        ? try rule.run(conv, pool, input, training: true)
        : try pool(try conv(input, training: true))
      var generator = RandomGenerator(seed: 4)
      return (y * Tensor.randomNormal(shape: y.shape, generator: &generator)).sum()
    }
    let inputGradient = watchInput ? [tape.gradient(of: loss, wrt: input)!] : []
    return [y] + inputGradient + tape.gradient(of: loss, wrt: conv.trainableWeights).map { $0! }
  }

  func testForwardValuesDoNotDependOnWhetherTheInputIsWatched() throws {
    var generator = RandomGenerator(seed: 6)
    let x = Tensor.randomNormal(shape: [4, 10, 10, 1], generator: &generator)
    let conv = Conv2D(16, kernelSize: 3, activation: .relu)
    let pool = MaxPooling2D(2)
    let watched = try run(conv, pool, x, paired: true)[0]
    let unwatched = try run(conv, pool, x, paired: true, watchInput: false)[0]
    XCTAssertEqual(watched.scalars, unwatched.scalars)
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
      for (name, (a, b)) in zip(
        ["output", "input grad", "kernel grad", "bias grad"], zip(paired, alone))
      {
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
    XCTAssertEqual(
      try rule.run(conv, pool, Tensor.zeros([2, 9, 9, 1]), training: false).shape, [2, 3, 3, 8])
    XCTAssertThrowsError(try rule.run(conv, pool, Tensor.zeros([2, 9, 9, 3]), training: false)) {
      error in
      XCTAssertTrue("\(error)".contains("first_conv"), "\(error)")
    }
    XCTAssertThrowsError(try rule.run(conv, pool, Tensor.zeros([2, 3, 9, 1]), training: false)) {
      error in
      XCTAssertTrue("\(error)".contains(pool.name), "\(error)")
    }
  }
}
