import Foundation
import SwiftKeras
import SwiftKerasCore
import SwiftKerasLayers
import Synchronization
import TestSupport
import XCTest

/// A user's own cell for ``RNN``: `h = tanh([x, h₋₁] · kernel)`, written with plain ops.
final class ConcatenatingCell: Layer, ConfigInitializable, RecurrentCell {
  @Config public var units = 2
  var kernel: Variable?

  convenience init(units: Int) {
    self.init(name: nil)
    self.units = units
  }

  var stateSizes: [Int] { [units] }
  var outputSize: Int { units }

  override func build(inputShape: Shape) throws {
    let features = try XCTUnwrap(inputShape.last ?? nil)
    kernel = addWeight(
      name: "kernel", shape: [features + units, units], initializer: GlorotUniform(seed: 3))
  }

  func step(_ input: Tensor, states: [Tensor], training: Bool) throws -> (
    output: Tensor, states: [Tensor]
  ) {
    let kernel = try XCTUnwrap(kernel).value
    let h = tanh(matmul(Tensor.concatenate([input, states[0]], alongAxis: 1), kernel))
    return (h, [h])
  }
}

/// A cell whose step does not return what its sizes say.
final class MisreportingCell: Layer, RecurrentCell {
  var stateSizes: [Int] { [5] }
  var outputSize: Int { 5 }
  func step(_ input: Tensor, states: [Tensor], training: Bool) throws -> (
    output: Tensor, states: [Tensor]
  ) { (input, [input]) }
}

/// Finite-difference gradients, configs, dropout, regularizers, constraints and errors of
/// the recurrent layers.
final class RecurrentLayerTests: XCTestCase {
  private let x = testInput([2, 4, 3], seed: 11)

  func testFiniteDifferenceGradientsOfEveryLayer() throws {
    let layers: [Layer] = [
      SimpleRNN(3, returnSequences: true),
      LSTM(3),
      LSTM(2, returnSequences: true, goBackwards: true),
      GRU(3),
      GRU(2, returnSequences: true, resetAfter: false),
      RNN(cells: [LSTMCell(units: 2), GRUCell(units: 2), SimpleRNNCell(units: 2)]),
      RNN(cell: ConcatenatingCell(units: 2), returnSequences: true),
      Bidirectional(LSTM(2, returnSequences: true)),
      Bidirectional(GRU(2), mergeMode: "mul"),
      TimeDistributed(Dense(2, activation: .tanh)),
      Masking(maskValue: 0),
    ]
    for layer in layers {
      try assertLayerGradientsMatchFiniteDifferences(layer, [x], epsilon: 1e-2, tolerance: 2e-2)
    }
  }

  func testFiniteDifferenceGradientsWithMaskAndInitialStates() throws {
    let mask = Tensor([[1, 1, 1, 0], [1, 0, 0, 0]])
    let lstm = LSTM(2, returnSequences: true, returnState: true)
    try lstm.ensureBuilt(inputShapes: [[nil, 4, 3], [nil, 2], [nil, 2]])
    let h0 = testInput([2, 2], seed: 3)
    let c0 = testInput([2, 2], seed: 4)
    assertGradientsMatchFiniteDifferences([x, h0, c0]) { inputs in
      let outputs = (try? lstm.callOutputs(inputs, mask: mask, training: false)) ?? []
      return Tensor.concatenate(
        outputs.map { $0.reshaped(to: [2, -1]) }, alongAxis: 1)
    }
    let bidirectional = Bidirectional(GRU(2, returnSequences: true), mergeMode: "ave")
    assertGradientsMatchFiniteDifferences([x]) { inputs in
      (try? bidirectional.callOutputs(inputs, mask: mask, training: false))?[0] ?? Tensor(0)
    }
  }

  func testConfigsRoundTripThroughFromConfig() throws {
    let layers: [Layer] = [
      LSTM(
        4, activation: .relu, recurrentActivation: .hardSigmoid, unitForgetBias: false,
        kernelRegularizer: L2(0.01), recurrentConstraint: MaxNorm(maxValue: 2), dropout: 0.25,
        recurrentDropout: 0.5, seed: 3, returnSequences: true, stateful: true),
      GRU(3, goBackwards: true, resetAfter: false),
      SimpleRNN(2, useBias: false, returnState: true),
      RNN(cells: [LSTMCell(units: 3), GRUCell(units: 2)], returnSequences: true),
      Bidirectional(LSTM(3, returnSequences: true), mergeMode: nil),
      TimeDistributed(Dense(4)),
      Masking(maskValue: -1),
    ]
    for layer in layers {
      try layer.ensureBuilt(inputShapes: [[2, 5, 3]])
      let config = layer.getConfig()
      let type = try XCTUnwrap(builtInLayerType(named: layer.className))
      let rebuilt = try type.init(config: LayerConfig(className: layer.className, values: config))
      XCTAssertEqual(
        ConfigValue.object(rebuilt.getConfig()).jsonString(),
        ConfigValue.object(config).jsonString(),
        layer.className)
    }
    let bidirectional = try Bidirectional(
      config: LayerConfig(
        className: "Bidirectional",
        values: Bidirectional(LSTM(3, name: "encoder")).getConfig()))
    XCTAssertEqual(bidirectional.forwardLayer?.name, "forward_encoder")
    XCTAssertEqual(bidirectional.backwardLayer?.name, "backward_encoder")
    XCTAssertEqual(bidirectional.backwardLayer?.goBackwards, true)
  }

  func testKerasDefaultsAndWeightLayout() throws {
    let lstm = LSTM(4)
    _ = try lstm(x)
    XCTAssertEqual(lstm.weights.map(\.shape), [[3, 16], [4, 16], [16]])
    // unitForgetBias: the forget block of the bias starts at one, the others at zero.
    XCTAssertEqual(
      lstm.cell.bias?.untrackedValue.scalars,
      [Float](repeating: 0, count: 4) + [1, 1, 1, 1] + [Float](repeating: 0, count: 8))
    // The recurrent kernel is orthogonal by default.
    let recurrent = try XCTUnwrap(lstm.cell.recurrentKernel?.untrackedValue)
    assertClose(
      matmul(recurrent, recurrent, transposeB: true), Tensor.eye(4), tolerance: 1e-5,
      "orthogonal rows")
    let gru = GRU(3)
    _ = try gru(x)
    XCTAssertEqual(gru.weights.map(\.shape), [[3, 9], [3, 9], [2, 9]])
    let config = lstm.getConfig()
    XCTAssertEqual(config["recurrent_initializer"]?["class_name"], "Orthogonal")
    XCTAssertEqual(config["recurrent_activation"], "sigmoid")
    XCTAssertEqual(config["unit_forget_bias"], true)
  }

  func testDropoutUsesOneMaskPerSequenceInTrainingOnly() throws {
    // Dropping every input unit leaves the recurrence of a zero input; dropping every
    // state unit leaves each step a function of its input alone.
    let all = SimpleRNN(3, dropout: 1, seed: 1, returnSequences: true)
    let plain = SimpleRNN(3, returnSequences: true)
    _ = try all(x)
    _ = try plain(x)
    try plain.setWeights(all.getWeights())
    assertClose(
      try all(x, training: true), try plain(Tensor.zeros(x.shape)), tolerance: 1e-6,
      "dropout 1")
    assertClose(try all(x, training: false), try plain(x), tolerance: 1e-6, "inference")

    let stateless = SimpleRNN(3, recurrentDropout: 1, seed: 1, returnSequences: true)
    _ = try stateless(x)
    try stateless.setWeights(plain.getWeights())
    let stepwise = try stateless(x, training: true)
    let weights = plain.getWeights()
    let expected = tanh(
      matmul(x.reshaped(to: [8, 3]), weights[0]).reshaped(to: [2, 4, 3]) + weights[2])
    assertClose(stepwise, expected, tolerance: 1e-6, "recurrent dropout 1")

    // A rate of 0.5: the same units are dropped at every step of a sequence.
    let half = LSTM(4, dropout: 0.5, seed: 5, returnSequences: true)
    let constant = Tensor.ones([1, 6, 3])
    let a = try half(constant, training: true)
    let b = try half(constant, training: true)
    XCTAssertNotEqual(a.scalars, b.scalars, "each sequence draws new masks")
  }

  func testRegularizersAndConstraintsReachTheCell() throws {
    let layer = GRU(
      2, kernelRegularizer: L2(0.5), recurrentRegularizer: L1(0.25),
      kernelConstraint: NonNeg())
    _ = try layer(x)
    let kernel = try XCTUnwrap(layer.cell.kernel?.untrackedValue)
    let recurrent = try XCTUnwrap(layer.cell.recurrentKernel?.untrackedValue)
    let squares: Float = kernel.scalars.map { $0 * $0 }.reduce(0, +)
    let magnitudes: Float = recurrent.scalars.map { Swift.abs($0) }.reduce(0, +)
    let total: Float = layer.losses.map { $0.scalar }.reduce(0, +)
    XCTAssertEqual(total, 0.5 * squares + 0.25 * magnitudes, accuracy: 1e-5)
    layer.applyConstraints()
    XCTAssertTrue(layer.cell.kernel?.untrackedValue.scalars.allSatisfy { $0 >= 0 } ?? false)
  }

  func testReturnStateThroughTheFunctionalAPI() throws {
    let input = Input(shape: [4, 3])
    let outputs = try LSTM(3, returnState: true).callOutputs([input])
    XCTAssertEqual(outputs.map(\.shape), [[nil, 3], [nil, 3], [nil, 3]])
    let decoded = try LSTM(3)([try Dense(2)(input), outputs[1], outputs[2]])
    let model = try Model(inputs: [input], outputs: [decoded, outputs[2]])
    let results = try model.callOutputs([x], training: false)
    XCTAssertEqual(results.map(\.shape), [[2, 3], [2, 3]])
  }

  func testCustomCellLoadsFromItsRegisteredName() throws {
    let model = try Sequential([
      Input(shape: [4, 3]), RNN(cell: ConcatenatingCell(units: 2), name: "rnn"),
    ])
    let json = try model.toJSON()
    XCTAssertTrue(json.contains("ConcatenatingCell"), json)
    let copy = try modelFromJSON(json)
    try copy.setWeights(model.getWeights())
    assertClose(try copy(x), try model(x), tolerance: 0, "custom cell")
  }

  func testBadInputsThrowErrorsNamingTheLayer() throws {
    func message(_ body: () throws -> Void) -> String {
      do {
        try body()
        return "no error"
      } catch { return "\(error)" }
    }
    XCTAssertTrue(
      message { _ = try LSTM(3)(Tensor.zeros([2, 3])) }.contains(
        "(LSTM) expects inputs [batch, steps, features]"))
    XCTAssertTrue(message { _ = try GRU(0)(x) }.contains("units must be positive"))
    let lstm = LSTM(3, name: "encoder")
    _ = try lstm(x)
    XCTAssertTrue(message { _ = try lstm(Tensor.zeros([2, 4, 5])) }.contains("'encoder'"))
    XCTAssertTrue(
      message { _ = try lstm([x, Tensor.zeros([2, 3])]) }.contains("expects 2 initial state(s)"))
    XCTAssertTrue(message { _ = try LSTM(2, dropout: 2)(x) }.contains("dropout"))
    XCTAssertTrue(
      message { _ = try Bidirectional(LSTM(2), mergeMode: "max")(x) }.contains("mergeMode"))
    XCTAssertTrue(
      message { _ = try RNN(cell: ConcatenatingCell(units: 2))(Tensor.zeros([2, 0, 3])) }
        .contains("at least one time step"))
    XCTAssertTrue(
      message { _ = try LSTM(2).callOutputs([x], mask: Tensor.ones([2, 3]), training: false) }
        .contains("mask must be [batch, steps]"))
    XCTAssertTrue(
      message { _ = try TimeDistributed(Dense(2))(Tensor.zeros([2, 3])) }.contains("rank 3"))
    XCTAssertTrue(
      message { _ = try RNN(cell: MisreportingCell())(x) }.contains("must return an output [2, 5]"))
    let cellAlone = LSTMCell(units: 2)
    XCTAssertTrue(message { _ = try cellAlone(Tensor.zeros([2, 3])) }.contains("is a cell"))
  }

  /// Compares a layer running its fused kernel with a copy running the step-by-step loop
  /// through ordinary ops: every output and the gradients with respect to every input
  /// (the sequence and the initial states) and every weight, with and without a mask (in
  /// the middle and at the end).
  private func assertFusedMatchesLoop(
    _ make: () throws -> BaseRNN, inputs: [Tensor], _ label: String,
    file: StaticString = #filePath, line: UInt = #line
  ) throws {
    let mask = Tensor([[1, 1, 1, 1, 1, 1], [1, 0, 1, 1, 0, 0], [0, 0, 1, 1, 1, 0]])
    let fused = try make()
    let loop = try make()
    loop.usesFusedKernels = false
    let shapes: [Shape] = inputs.map { [nil] + $0.shape.dropFirst().map { Optional($0) } }
    try fused.ensureBuilt(inputShapes: shapes)
    try loop.ensureBuilt(inputShapes: shapes)
    // Non-zero biases, so every bias entry takes part.
    try fused.setWeights(fused.getWeights().map { $0 + testInput($0.shape, seed: 5) * 0.3 })
    try loop.setWeights(fused.getWeights())
    for useMask in [false, true] {
      func run(_ layer: BaseRNN) throws -> ([Tensor], [Tensor?]) {
        let tape = GradientTape(persistent: true)
        let watched = inputs.map { tape.watch($0) }
        var outputs: [Tensor] = []
        let objective = try tape.record { () throws -> Tensor in
          outputs = try layer.callOutputs(watched, mask: useMask ? mask : nil, training: false)
          return outputs.enumerated().map { ($1 * Float($0 + 1) * $1).sum() }
            .reduce(Tensor(0), +)
        }
        return (
          outputs,
          tape.gradient(of: objective, wrt: watched)
            + tape.gradient(of: objective, wrt: layer.trainableWeights)
        )
      }
      let (fusedOutputs, fusedGrads) = try run(fused)
      let (loopOutputs, loopGrads) = try run(loop)
      let what = "\(label), mask \(useMask)"
      XCTAssertEqual(fusedOutputs.count, loopOutputs.count, what, file: file, line: line)
      for (a, b) in zip(fusedOutputs, loopOutputs) {
        assertClose(a, b, tolerance: 1e-5, "\(what): outputs", file: file, line: line)
      }
      XCTAssertEqual(
        fusedGrads.count, inputs.count + fused.trainableWeights.count, what, file: file,
        line: line)
      for (k, (a, b)) in zip(fusedGrads, loopGrads).enumerated() {
        guard let a, let b else {
          XCTFail("\(what): gradient \(k) missing", file: file, line: line)
          continue
        }
        assertClose(a, b, tolerance: 1e-4, "\(what): gradient \(k)", file: file, line: line)
      }
    }
  }

  /// The fused LSTM kernel against the step loop, in both directions, with both masked-
  /// output rules and initial states.
  func testFusedLSTMMatchesTheStepLoop() throws {
    let inputs = [
      testInput([3, 6, 4], seed: 21), testInput([3, 5], seed: 22), testInput([3, 5], seed: 23),
    ]
    for (goBackwards, sequences, zeroOutput) in [
      (false, true, false), (true, true, true), (false, false, false), (true, false, true),
    ] {
      try assertFusedMatchesLoop(
        {
          let layer = LSTM(
            5, returnSequences: sequences, returnState: true, goBackwards: goBackwards)
          layer.zeroOutputForMask = zeroOutput
          return layer
        }, inputs: inputs, "LSTM backwards \(goBackwards), sequences \(sequences)")
    }
  }

  /// The fused GRU kernel (both reset rules) against the step loop.
  func testFusedGRUMatchesTheStepLoop() throws {
    let inputs = [testInput([3, 6, 4], seed: 31), testInput([3, 5], seed: 32)]
    for (resetAfter, goBackwards, sequences, zeroOutput) in [
      (true, false, true, false), (false, true, true, true), (true, true, false, true),
      (false, false, false, false),
    ] {
      try assertFusedMatchesLoop(
        {
          let layer = GRU(
            5, returnSequences: sequences, returnState: true, goBackwards: goBackwards,
            resetAfter: resetAfter)
          layer.zeroOutputForMask = zeroOutput
          return layer
        }, inputs: inputs, "GRU resetAfter \(resetAfter), backwards \(goBackwards)")
    }
  }

  /// The fused SimpleRNN kernel (tanh, relu, linear) against the step loop.
  func testFusedSimpleRNNMatchesTheStepLoop() throws {
    let inputs = [testInput([3, 6, 4], seed: 41), testInput([3, 5], seed: 42)]
    for (activation, goBackwards, sequences) in [
      (ActivationFunction.tanh, false, true), (.relu, true, true), (.linear, false, false),
      (.tanh, true, false),
    ] {
      try assertFusedMatchesLoop(
        {
          SimpleRNN(
            5, activation: activation, returnSequences: sequences, returnState: true,
            goBackwards: goBackwards)
        }, inputs: inputs, "SimpleRNN \(activation), backwards \(goBackwards)")
    }
  }

  /// A model whose time axis is unknown takes sequences of any length.
  func testSequencesOfAnyLength() throws {
    let model = try Sequential([Input(shape: [nil, 3]), GRU(2, returnSequences: true), LSTM(2)])
    XCTAssertEqual(model.layerOutputShapes, [[nil, nil, 2], [nil, 2]])
    XCTAssertEqual(try model(testInput([2, 4, 3], seed: 1)).shape, [2, 2])
    XCTAssertEqual(try model(testInput([1, 9, 3], seed: 2)).shape, [1, 2])
  }

  func testMaskingLayerZeroesAndMasksSteps() throws {
    let layer = Masking(maskValue: 2)
    let input = Tensor(shape: [1, 3, 2], scalars: [2, 2, 1, 2, 2, 2])
    XCTAssertEqual(try layer(input).scalars, [0, 0, 1, 2, 0, 0])
    XCTAssertEqual(try layer.computeMask([input], mask: nil)?.scalars, [0, 1, 0])
  }
}

/// Recurrent layers called from several threads at once (inference).
final class RecurrentConcurrencyTests: XCTestCase {
  func testThreadsPredictSideBySide() throws {
    let layers: [Layer] = [
      LSTM(4, activation: .relu, returnSequences: true, name: "unfused"),
      GRU(4, dropout: 0.5, recurrentDropout: 0.5, name: "with_dropout"),
      Bidirectional(LSTM(3)),
    ]
    let x = testInput([2, 5, 3], seed: 3)
    for layer in layers {
      let expected = try layer(x).scalars
      // The layer is shared on purpose: inference calls are what must be thread-safe.
      let shared = SharedLayer(layer: layer)
      let mismatches = Atomic<Int>(0)
      let failures = Atomic<Int>(0)
      DispatchQueue.concurrentPerform(iterations: 2) { _ in
        for _ in 0..<100 {
          do {
            if try shared.layer(x).scalars != expected { mismatches.add(1, ordering: .relaxed) }
          } catch {
            failures.add(1, ordering: .relaxed)
          }
        }
      }
      XCTAssertEqual(mismatches.load(ordering: .relaxed), 0, layer.name)
      XCTAssertEqual(failures.load(ordering: .relaxed), 0, layer.name)
    }
  }
}

/// Hands one layer to several threads in a test of thread safety.
private struct SharedLayer: @unchecked Sendable {
  let layer: Layer
}
