import Foundation
import SwiftKeras
import Synchronization
import TestSupport
import XCTest

/// Bad arguments to the training API, and one model used from several threads.
final class HardeningTests: XCTestCase {
  private let x = Tensor.randomNormal(shape: [12, 4])
  private let y = Tensor((0..<12).map { Float($0 % 2) })

  private func classifier() throws -> Sequential {
    let model = try Sequential([Input(shape: [4]), Dense(8, activation: "relu"), Dense(2)])
    try model.compile(optimizer: "sgd", loss: SparseCategoricalCrossentropy(fromLogits: true))
    return model
  }

  private func assertThrowsKerasError(
    _ what: String, file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Void
  ) {
    XCTAssertThrowsError(try body(), what, file: file, line: line) { error in
      XCTAssertTrue(error is SwiftKerasError, "\(what): \(error)", file: file, line: line)
    }
  }

  /// A 190-byte config (fuzz-json's finding): a 3904×3904 transposed-convolution kernel
  /// on a 9×4 input would need a working buffer of 8.8 GB; it throws before allocating.
  func testHugeTransposedConvolutionKernelThrowsBeforeAllocating() throws {
    let model = try Sequential([
      Input(shape: [9, 4, 1]), Conv2DTranspose(2, kernelSize: [3904, 3904]),
    ])
    XCTAssertThrowsError(try model.predict(x: Tensor.zeros([2, 9, 4, 1]), verbose: 0)) { error in
      XCTAssertTrue("\(error)".contains("working buffer"), "\(error)")
    }
  }

  func testExtremeBatchSizesWork() throws {
    let model = try classifier()
    _ = try model.fit(x: x, y: y, batchSize: Int.max, epochs: 1, verbose: 0)
    XCTAssertEqual(try model.evaluate(x: x, y: y, batchSize: Int.max, verbose: 0).count, 1)
    XCTAssertEqual(try model.predict(x: x, batchSize: Int.max).shape, [12, 2])
  }

  func testBadArgumentsThrow() throws {
    let model = try classifier()
    assertThrowsKerasError("2-D sampleWeight") {
      try model.fit(x: x, y: y, verbose: 0, sampleWeight: Tensor.zeros(shape: [12, 5]))
    }
    assertThrowsKerasError("no samples in fit") {
      try model.fit(x: Tensor.zeros(shape: [0, 4]), y: Tensor.zeros(shape: [0]), verbose: 0)
    }
    assertThrowsKerasError("no samples in evaluate") {
      _ = try model.evaluate(x: Tensor.zeros(shape: [0, 4]), y: Tensor.zeros(shape: [0]))
    }
    assertThrowsKerasError("no samples in trainOnBatch") {
      try model.trainOnBatch(x: Tensor.zeros(shape: [0, 4]), y: Tensor.zeros(shape: [0]))
    }
    assertThrowsKerasError("a model with no layers") {
      let empty = try Sequential([Input(shape: [4])])
      try empty.compile(optimizer: "sgd", loss: "mse")
      try empty.fit(x: x, y: x, verbose: 0)
    }
    assertThrowsKerasError("an Input with a zero extent") {
      _ = try Sequential([Input(shape: [0]), Dense(2)])
    }
    assertThrowsKerasError("a causal padding that overflows") {
      _ = try Sequential([
        Input(shape: [10, 1]),
        Conv1D(1, kernelSize: 4, padding: "causal", dilationRate: Int.max / 2),
      ])
    }
    for units in [Int.max / 2, 1_000_000_000_000] {
      assertThrowsKerasError("Dense(\(units))") {
        _ = try Sequential([Input(shape: [8]), Dense(units)])
      }
    }
  }

  func testNonFiniteInputsKeepTrainingAndTerminateOnNaNStops() throws {
    var poisoned = x.scalars
    poisoned[0] = .nan
    let bad = Tensor(shape: x.shape, scalars: poisoned)
    // No ReLU: it would turn the NaN into a zero.
    func linear() throws -> Sequential {
      let model = try Sequential([Input(shape: [4]), Dense(2)])
      try model.compile(optimizer: "sgd", loss: SparseCategoricalCrossentropy(fromLogits: true))
      return model
    }
    let model = try linear()
    var warnings: [String] = []
    model.warn = { warnings.append($0) }
    let history = try model.fit(x: bad, y: y, batchSize: 4, epochs: 2, verbose: 0, shuffle: false)
    XCTAssertEqual(history["loss"].count, 2, "training goes on, as Keras")
    XCTAssertTrue(history["loss"][0].isNaN)
    XCTAssertEqual(warnings.count, 1, "reported once: \(warnings)")
    XCTAssertTrue(warnings.first?.contains("batch 1") ?? false, "\(warnings)")
    let stopping = try linear()
    let stopped = try stopping.fit(
      x: bad, y: y, batchSize: 4, epochs: 2, verbose: 0, callbacks: [TerminateOnNaN()],
      shuffle: false)
    XCTAssertEqual(stopped["loss"].count, 1, "TerminateOnNaN ends the first epoch")
    XCTAssertTrue(stopping.stopTraining)
  }

  /// A model with a built layer that the loss never reads.
  final class WithSpare: Model {
    let used = Dense(2)
    let spare = Dense(2)
    override func call(_ input: Tensor, training: Bool) throws -> Tensor {
      try used(input, training: training)
    }
  }

  /// Poisons `layer`'s kernel after the first batch.
  final class Poison: Callback {
    let layer: Dense
    init(_ layer: Dense) { self.layer = layer }
    override func onTrainBatchEnd(_ batch: Int, logs: Logs) throws {
      guard batch == 0, let kernel = layer.kernel else { return }
      kernel.value = Tensor(repeating: .nan, shape: kernel.shape)
    }
  }

  func testANonFiniteWeightIsReportedOnceWhileTheLossStaysFinite() throws {
    let model = WithSpare()
    _ = try model.spare(Tensor.zeros(shape: [1, 4]))
    try model.compile(optimizer: "sgd", loss: SparseCategoricalCrossentropy(fromLogits: true))
    var warnings: [String] = []
    model.warn = { warnings.append($0) }
    let history = try model.fit(
      x: x, y: y, batchSize: 4, epochs: 2, verbose: 0, callbacks: [Poison(model.spare)])
    XCTAssertTrue(history["loss"].allSatisfy { $0.isFinite })
    XCTAssertEqual(warnings.count, 1, "\(warnings)")
    XCTAssertTrue(warnings.first?.contains("kernel") ?? false, "\(warnings)")
  }

  /// Calls `fit` again from inside a running `fit`.
  final class Reentrant: Callback {
    var error: Error?
    override func onTrainBatchBegin(_ batch: Int, logs: Logs) throws {
      guard batch == 0, let model, error == nil else { return }
      do {
        try model.fit(x: Tensor.zeros(shape: [2, 4]), y: Tensor.zeros(shape: [2]), verbose: 0)
      } catch {
        self.error = error
      }
    }
  }

  func testSecondFitOnTheSameModelThrows() throws {
    let model = try classifier()
    let reentrant = Reentrant()
    _ = try model.fit(x: x, y: y, epochs: 1, verbose: 0, callbacks: [reentrant])
    XCTAssertTrue("\(reentrant.error.map { "\($0)" } ?? "none")".contains("already training"))
  }

  /// Two threads predicting on one model get the serial results, for a model with an
  /// activity regularizer and for a small CNN.
  func testConcurrentPredictsMatchSerialResults() throws {
    setRandomSeed(8)
    let regularized = try Sequential([
      Input(shape: [4]), Dense(16, activation: "relu", activityRegularizer: L2(0.01)), Dense(2),
    ])
    let cnn = try Sequential([
      Input(shape: [12, 12, 1]), Conv2D(8, kernelSize: 3, activation: "relu"), MaxPooling2D(2),
      Flatten(), Dense(3),
    ])
    for (model, input) in [(regularized, x), (cnn, Tensor.randomNormal(shape: [5, 12, 12, 1]))] {
      let expected = try model.predict(x: input).scalars
      // The model is shared on purpose: predict and calls are what must be thread-safe.
      let shared = SharedModel(model: model)
      let mismatches = Atomic<Int>(0)
      let failures = Atomic<Int>(0)
      DispatchQueue.concurrentPerform(iterations: 2) { _ in
        for _ in 0..<200 {
          do {
            if try shared.model.predict(x: input).scalars != expected {
              mismatches.add(1, ordering: .relaxed)
            }
            _ = try shared.model(input)
          } catch {
            failures.add(1, ordering: .relaxed)
          }
        }
      }
      XCTAssertEqual(mismatches.load(ordering: .relaxed), 0)
      XCTAssertEqual(failures.load(ordering: .relaxed), 0)
    }
  }
}

/// Hands one model to several threads in a test of thread safety.
private struct SharedModel: @unchecked Sendable {
  let model: Sequential
}
