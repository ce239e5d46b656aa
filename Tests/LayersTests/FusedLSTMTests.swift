import SwiftKeras
import TestSupport
import XCTest

/// The fused whole-sequence LSTM kernel against the cell run step by step on the tape.
final class FusedLSTMTests: XCTestCase {
  /// The outputs and the gradients of the input and weights, computed by the layer (which
  /// runs the fused kernel) and by `LSTMCell.step` in a Swift loop.
  func compare(returnSequences: Bool, goBackwards: Bool, useBias: Bool, batch: Int = 3) throws {
    setRandomSeed(11)
    let (steps, features, units) = (5, 4, 6)
    let layer = LSTM(
      units, useBias: useBias, returnSequences: returnSequences, goBackwards: goBackwards)
    var generator = RandomGenerator(seed: 5)
    let x = Tensor.randomNormal(shape: [batch, steps, features], generator: &generator)
    _ = try layer(x)
    let outputShape = returnSequences ? [batch, steps, units] : [batch, units]
    let projection = Tensor.randomNormal(shape: outputShape, generator: &generator)
    let weights = layer.trainableWeights
    let label =
      "batch \(batch), returnSequences \(returnSequences), goBackwards \(goBackwards), bias \(useBias)"

    let fusedTape = GradientTape(persistent: true)
    let fusedInput = fusedTape.watch(x)
    var fusedOutput = Tensor(0)
    let fusedObjective = try fusedTape.record { () throws -> Tensor in
      fusedOutput = try layer(fusedInput, training: true)
      return (fusedOutput * projection).sum()
    }

    let stepTape = GradientTape(persistent: true)
    let stepInput = stepTape.watch(x)
    var stepOutput = Tensor(0)
    let stepObjective = try stepTape.record { () throws -> Tensor in
      var states = [Tensor.zeros([batch, units]), Tensor.zeros([batch, units])]
      var outputs: [Tensor] = []
      for k in 0..<steps {
        let t = goBackwards ? steps - 1 - k : k
        let input = stepInput.slice(t..<(t + 1), alongAxis: 1).reshaped(to: [batch, features])
        let (output, next) = try layer.cell.step(input, states: states, training: true)
        states = next
        outputs.append(output)
      }
      stepOutput = returnSequences ? Tensor.stack(outputs, alongAxis: 1) : outputs[steps - 1]
      return (stepOutput * projection).sum()
    }
    assertClose(fusedOutput, stepOutput, tolerance: 1e-5, "\(label): output")
    let fusedGradients =
      fusedTape.gradient(of: fusedObjective, wrt: [fusedInput])
      + fusedTape.gradient(of: fusedObjective, wrt: weights)
    let stepGradients =
      stepTape.gradient(of: stepObjective, wrt: [stepInput])
      + stepTape.gradient(of: stepObjective, wrt: weights)
    XCTAssertEqual(fusedGradients.count, useBias ? 4 : 3)
    for (k, (fused, step)) in zip(fusedGradients, stepGradients).enumerated() {
      guard let fused, let step else {
        XCTFail("\(label): gradient \(k) missing")
        continue
      }
      assertClose(fused, step, tolerance: 1e-5, "\(label): gradient \(k)")
    }
  }

  func testFusedSequenceMatchesStepByStep() throws {
    for returnSequences in [false, true] {
      for goBackwards in [false, true] {
        try compare(returnSequences: returnSequences, goBackwards: goBackwards, useBias: true)
      }
    }
    try compare(returnSequences: true, goBackwards: false, useBias: false)
    // Batches of 32 rows and more run the recurrence in parts, one per core.
    try compare(returnSequences: false, goBackwards: false, useBias: true, batch: 37)
    try compare(returnSequences: true, goBackwards: true, useBias: true, batch: 40)
  }

  /// A stateful layer carries the fused kernel's final states into the next batch, as the
  /// step-by-step loop does.
  func testStatefulCarriesFinalStates() throws {
    setRandomSeed(3)
    let layer = LSTM(4, stateful: true)
    var generator = RandomGenerator(seed: 9)
    let x = Tensor.randomNormal(shape: [2, 6, 3], generator: &generator)
    let whole = try LSTM(4, returnState: true)
    _ = try whole(x)
    _ = try layer(x.slice(0..<3, alongAxis: 1))
    for (target, source) in zip(whole.trainableWeights, layer.trainableWeights) {
      target.assign(source.value)
    }
    let second = try layer(x.slice(3..<6, alongAxis: 1))
    let expected = try whole.callOutputs([x], training: false)
    assertClose(second, expected[0], tolerance: 1e-5, "stateful output")
    assertClose(layer.states?[1] ?? Tensor(0), expected[2], tolerance: 1e-5, "carried c")
  }
}
