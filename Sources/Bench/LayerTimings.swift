import Foundation
import SwiftKeras

/// Where a training step's time goes, layer by layer: for every prefix of the model, one
/// batch's forward pass and its backward pass to all trainable weights (as `fit` runs
/// them), and each layer's share as the difference between consecutive prefixes. Layers
/// run one by one here, so pairs a `Sequential` model fuses (a first convolution and its
/// pooling) are timed unfused; `swiftkeras-bench conv` times such a pair.
enum LayerTimings {
  static func run(_ model: Sequential, inputShape: [Int], batchSize: Int) throws {
    setRandomSeed(7)
    let x = Tensor.randomUniform(shape: [batchSize] + inputShape)
    let layers = model.layers
    // Build every layer and keep a fixed output gradient per prefix.
    var outputs: [Tensor] = []
    var current = x
    for layer in layers {
      current = try layer(current, training: true)
      outputs.append(current)
    }
    let seeds = outputs.map { Tensor.randomUniform(shape: $0.shape) }
    var variables: [[Variable]] = []
    for layer in layers { variables.append((variables.last ?? []) + layer.trainableWeights) }

    func forward(_ count: Int) throws -> Tensor {
      var y = x
      for layer in layers[0..<count] { y = try layer(y, training: true) }
      return y
    }
    var forwardTimes: [Double] = [0]
    var stepTimes: [Double] = [0]
    for count in 1...layers.count {
      var failure: Error?
      forwardTimes.append(
        Measurement.bestSecondsPerCall(samples: 5, sampleTime: 0.2) {
          do { _ = try forward(count) } catch { failure = error }
        })
      stepTimes.append(
        Measurement.bestSecondsPerCall(samples: 5, sampleTime: 0.2) {
          do {
            let tape = GradientTape()
            let y = try tape.record { try forward(count) }
            _ = tape.gradient(of: y, wrt: variables[count - 1], outputGradient: seeds[count - 1])
          } catch { failure = error }
        })
      if let failure { throw failure }
    }
    print("batch \(batchSize): forward and backward per layer, µs (best of 5)")
    print(padded("layer", 28, leftAligned: true) + padded("forward", 10) + padded("backward", 10))
    let total = stepTimes.last ?? 1
    for (i, layer) in layers.enumerated() {
      let f = Swift.max(forwardTimes[i + 1] - forwardTimes[i], 0)
      let step = Swift.max(stepTimes[i + 1] - stepTimes[i], 0)
      print(
        padded("\(layer.name) (\(type(of: layer)))", 28, leftAligned: true)
          + padded(formatted(f * 1e6, 0), 10)
          + padded(formatted(Swift.max(step - f, 0) * 1e6, 0), 10)
          + "   \(formatted(step / total * 100, 0))%")
    }
    print(
      "whole model: forward \(formatted(forwardTimes.last! * 1e6, 0)) µs, forward + backward \(formatted(total * 1e6, 0)) µs"
    )
  }
}
