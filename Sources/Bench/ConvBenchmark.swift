import ArgumentParser
import Foundation
import SwiftKeras

/// `swiftkeras-bench conv`: the demo CNN's two convolutions alone (bias and ReLU fused, as
/// `Conv2D(…, activation: .relu)` runs them), and its first convolution with the pooling
/// that follows it (as a `Sequential` model runs the pair), forward and forward +
/// gradients, on random data. Steadier than `cnn --layers` (no prefix differences), so A/B
/// runs of the convolution kernels can use it: run it once as is and once with
/// `SWIFTKERAS_CONV_ALGORITHM=im2col` (no Winograd, no fusion).
struct ConvBenchmark: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "conv",
    abstract: "The demo CNN's convolutions alone: forward and forward + gradients, µs.")

  @Option(name: .customLong("batch-size"), help: "Images per call.") var batchSize = 64
  @Option(help: "Timed batches of calls; the best is reported.") var samples = 5

  private struct Case {
    let name: String
    let input: [Int]
    let kernel: [Int]
    /// The first layer of a network: no gradient with respect to its input.
    let needsInputGradient: Bool
    /// The size of the MaxPooling2D that follows, computed with the convolution as a pair.
    var pool: Int? = nil

    func callAsFunction(_ x: Tensor, _ kernel: Tensor, _ bias: Tensor) -> Tensor {
      guard let pool else { return Tensor.conv2d(x, kernel, bias: bias, fusedReLU: true) }
      return Tensor.conv2dReLUMaxPool2d(x, kernel, bias: bias, poolSize: (pool, pool))
    }
  }

  func run() throws {
    let algorithm =
      ProcessInfo.processInfo.environment["SWIFTKERAS_CONV_ALGORITHM"] == "im2col"
      ? "im2col for every convolution, no fusion (SWIFTKERAS_CONV_ALGORITHM=im2col)"
      : "automatic (Winograd and fusion where they apply)"
    print("batch \(batchSize), algorithm: \(algorithm); best of \(samples), µs per call")
    print("convolution                                   forward   forward + gradients")
    let cases = [
      Case(
        name: "Conv2D(32, 3) on 28×28×1", input: [batchSize, 28, 28, 1], kernel: [3, 3, 1, 32],
        needsInputGradient: false),
      Case(
        name: "Conv2D(32, 3) + MaxPooling2D(2) on 28×28×1", input: [batchSize, 28, 28, 1],
        kernel: [3, 3, 1, 32], needsInputGradient: false, pool: 2),
      Case(
        name: "Conv2D(64, 3) on 13×13×32", input: [batchSize, 13, 13, 32],
        kernel: [3, 3, 32, 64], needsInputGradient: true),
    ]
    setRandomSeed(1)
    for c in cases {
      let x = Tensor.randomUniform(shape: c.input)
      let kernel = Tensor.randomUniform(shape: c.kernel, minval: -0.1, maxval: 0.1)
      let bias = Tensor.randomUniform(shape: [c.kernel[3]], minval: -0.1, maxval: 0.1)
      let forward = Measurement.bestSecondsPerCall(samples: samples, sampleTime: 0.2) {
        _ = c(x, kernel, bias)
      }
      let outputGradient = Tensor.randomUniform(shape: c(x, kernel, bias).shape)
      let step = Measurement.bestSecondsPerCall(samples: samples, sampleTime: 0.2) {
        let tape = GradientTape()
        // Training data is not watched: the first layer computes no input gradient.
        let xi = c.needsInputGradient ? tape.watch(x) : x
        let (ki, bi) = (tape.watch(kernel), tape.watch(bias))
        let y = tape.record { c(xi, ki, bi) }
        let targets = c.needsInputGradient ? [xi, ki, bi] : [ki, bi]
        _ = tape.gradient(of: y, wrt: targets, outputGradient: outputGradient)
      }
      print(
        padded(c.name, 45, leftAligned: true) + padded(formatted(forward * 1e6, 0), 8)
          + padded(formatted(step * 1e6, 0), 22))
    }
  }
}
