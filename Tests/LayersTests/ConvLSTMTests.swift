import Foundation
import SwiftKeras
import SwiftKerasCore
import SwiftKerasLayers
import TestSupport
import XCTest

/// The JSON of `Tests/Fixtures/convlstm.json` (written by `Scripts/fixtures/convlstm.py`).
private let convLSTMFixtureJSON: FixtureJSON = {
  guard let data = try? Data(contentsOf: fixtureURL("convlstm.json")),
    let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
  else { return FixtureJSON([:]) }
  return FixtureJSON(json)
}()

/// ConvLSTM1D and ConvLSTM2D against Keras (every case of convlstm.json: outputs within
/// 1e-5, gradients within 1e-4, shapes, parameter counts, configs), Keras's `.keras` and
/// `.weights.h5` files, finite-difference gradients, and the errors bad arguments raise.
final class ConvLSTMTests: XCTestCase {
  /// The largest differences seen, printed for the record.
  static let report = ReportCollector(label: "convlstm")

  override class func tearDown() {
    report.print()
    super.tearDown()
  }

  private func section(_ name: String, _ key: String) throws -> [String: Any] {
    try XCTUnwrap(
      (convLSTMFixtureJSON[name] as? [String: Any])?[key] as? [String: Any],
      "\(key) missing from Tests/Fixtures/convlstm.json")
  }

  @discardableResult
  private func check(_ id: String, file: StaticString = #filePath, line: UInt = #line) throws
    -> Layer
  {
    try checkRecurrentCase(
      try section("layers", id), id: id, report: Self.report, file: file, line: line)
  }

  func testConvLSTM1DMatchesKeras() throws {
    XCTAssertTrue(try check("conv_lstm1d") is ConvLSTM1D)
    try check("conv_lstm1d_same_sequences_state")
    try check("conv_lstm1d_strides_backwards")
  }

  func testConvLSTM2DMatchesKeras() throws {
    let layer = try XCTUnwrap(try check("conv_lstm2d") as? ConvLSTM2D)
    XCTAssertEqual(layer.cell.kernel?.shape, [3, 3, 2, 8])
    XCTAssertEqual(layer.cell.recurrentKernel?.shape, [3, 3, 2, 8])
    XCTAssertEqual(layer.cell.bias?.shape, [8])
    try check("conv_lstm2d_same_sequences")
    try check("conv_lstm2d_strides_backwards")
    try check("conv_lstm2d_dilation_state")
  }

  func testConvLSTM2DMaskedAndInitialStates() throws {
    try check("conv_lstm2d_masked")
    try check("conv_lstm2d_initial_state")
  }

  private func maxDifference(_ a: Tensor, _ b: Tensor) -> Float {
    zip(a.scalars, b.scalars).reduce(0) { max($0, abs($1.0 - $1.1)) }
  }

  /// Keras's `.keras` files load and predict within 1e-5 with Keras's summary and
  /// parameter count; Keras's `.weights.h5` loads into a copy; SwiftKeras's own files load
  /// back with identical predictions.
  func testKerasFilesLoadPredictAndRoundTrip() throws {
    let folder = try makeTemporaryDirectory("convlstm-round-trip")
    defer { try? FileManager.default.removeItem(at: folder) }
    for key in ["conv_lstm2d_classifier", "conv_lstm1d_regressor"] {
      let expected = try section("models", key)
      let loaded = try loadModel(from: fixtureURL("convlstm/\(key).keras").path)
      let x = tensor(from: expected["x"] as Any)
      let reference = tensor(from: expected["predictions"] as Any)
      let predictions = try loaded.predict(x: x, verbose: 0)
      XCTAssertEqual(predictions.shape, reference.shape, key)
      let difference = maxDifference(predictions, reference)
      XCTAssertLessThanOrEqual(difference, 1e-5, "\(key): predictions")
      Self.report.record("keras file", key, difference)
      XCTAssertEqual(loaded.countParams(), expected["total_params"] as? Int, key)
      XCTAssertEqual(loaded.summaryText(), expected["summary"] as? String, key)

      let copy = try modelFromJSON(try loaded.toJSON())
      try copy.loadWeights(from: fixtureURL("convlstm/\(key).weights.h5").path)
      let fromWeights = try copy.predict(x: x, verbose: 0)
      XCTAssertLessThanOrEqual(maxDifference(fromWeights, reference), 1e-5, "\(key): .weights.h5")

      let path = folder.appendingPathComponent("\(key).keras").path
      try loaded.save(to: path)
      let reloaded = try loadModel(from: path)
      XCTAssertEqual(try reloaded.predict(x: x, verbose: 0).scalars, predictions.scalars, key)
      let weightsPath = folder.appendingPathComponent("\(key).weights.h5").path
      try loaded.saveWeights(to: weightsPath)
      let again = try modelFromJSON(try loaded.toJSON())
      try again.loadWeights(from: weightsPath)
      XCTAssertEqual(again.getWeights().map(\.scalars), loaded.getWeights().map(\.scalars), key)
    }
  }

  /// Keras's defaults: the automatic name, the weights' shapes and count, inline config
  /// keys (no `cell` entry), and the output shapes for each flag.
  func testDefaultsAndShapes() throws {
    let layer = ConvLSTM2D(4, kernelSize: 3)
    XCTAssertTrue(layer.name.hasPrefix("conv_lstm2d"), layer.name)
    XCTAssertEqual(layer.strides, [1, 1])
    XCTAssertEqual(layer.padding, "valid")
    let config = layer.getConfig()
    XCTAssertNil(config["cell"])
    XCTAssertEqual(config["recurrent_initializer"]?["class_name"], "Orthogonal")
    XCTAssertEqual(config["unit_forget_bias"], true)
    XCTAssertEqual(config["data_format"], "channels_last")
    let y = try layer(Tensor.zeros([2, 3, 8, 7, 2]))
    XCTAssertEqual(y.shape, [2, 6, 5, 4])
    // kernel 3·3·2·16, recurrent kernel 3·3·4·16, bias 16.
    XCTAssertEqual(layer.countParams(), 288 + 576 + 16)
    // unitForgetBias: the forget block of the bias starts at one.
    XCTAssertEqual(
      layer.cell.bias?.value.scalars, [0, 0, 0, 0, 1, 1, 1, 1] + Array(repeating: 0, count: 8))

    let full = ConvLSTM1D(
      3, kernelSize: 2, padding: "same", returnSequences: true, returnState: true)
    let outputs = try full.callOutputs([Tensor.zeros([2, 5, 6, 1])], training: false)
    XCTAssertEqual(outputs.map(\.shape), [[2, 5, 6, 3], [2, 6, 3], [2, 6, 3]])
    XCTAssertEqual(
      try full.symbolicOutputShapes(inputShapes: [[nil, 5, 6, 1]]),
      [[nil, 5, 6, 3], [nil, 6, 3], [nil, 6, 3]])
  }

  /// A stateful layer starts each batch from the previous batch's final states until
  /// resetStates, which are exposed with their spatial shape.
  func testStatefulCarriesStates() throws {
    setRandomSeed(3)
    let layer = ConvLSTM1D(2, kernelSize: 2, padding: "same", stateful: true)
    let x = Tensor(shape: [1, 3, 4, 1], values: (0..<12).map { sin(Float($0)) })
    let first = try layer(x)
    XCTAssertEqual(layer.states?.map(\.shape), [[1, 4, 2], [1, 4, 2]])
    let second = try layer(x)
    XCTAssertGreaterThan(maxDifference(first, second), 1e-4)
    layer.resetStates()
    XCTAssertEqual(try layer(x).scalars, first.scalars)
  }

  func testFiniteDifferenceGradients() throws {
    let x1 = Tensor(shape: [2, 3, 5, 2], values: (0..<60).map { sin(Float($0) * 0.7) })
    try assertLayerGradientsMatchFiniteDifferences(
      ConvLSTM1D(2, kernelSize: 3, padding: "same", returnSequences: true), [x1])
    let x2 = Tensor(shape: [1, 3, 4, 4, 1], values: (0..<48).map { cos(Float($0) * 0.9) })
    try assertLayerGradientsMatchFiniteDifferences(ConvLSTM2D(2, kernelSize: 2), [x2])
    try assertLayerGradientsMatchFiniteDifferences(
      ConvLSTM2D(1, kernelSize: 3, strides: 2, padding: "same", goBackwards: true), [x2])
  }

  /// Dropout applies only in training, with one mask per sequence drawn from the seed.
  func testDropoutOnlyInTraining() throws {
    setRandomSeed(5)
    let layer = ConvLSTM1D(2, kernelSize: 2, dropout: 0.5, recurrentDropout: 0.5, seed: 1)
    let x = Tensor(shape: [2, 3, 4, 1], values: (0..<24).map { cos(Float($0)) })
    let inference = try layer(x)
    XCTAssertEqual(try layer(x).scalars, inference.scalars)
    XCTAssertGreaterThan(maxDifference(try layer(x, training: true), inference), 1e-4)
  }

  /// The frame model of Docs/Sequences.md builds with the documented shapes and trains.
  func testDocumentedFrameModel() throws {
    setRandomSeed(2)
    let model = try Sequential([
      Input(shape: [10, 40, 40, 1]),
      ConvLSTM2D(16, kernelSize: 3, padding: "same", returnSequences: true),
      ConvLSTM2D(16, kernelSize: 3, padding: "same"),
      Conv2D(1, kernelSize: 3, padding: "same", activation: .sigmoid),
    ])
    try model.compile(optimizer: "adam", loss: "binary_crossentropy")
    XCTAssertEqual(model.outputShapes, [[nil, 40, 40, 1]])
    let x = Tensor(shape: [1, 10, 40, 40, 1], values: (0..<16000).map { Float($0 % 7) / 7 })
    let y = Tensor(shape: [1, 40, 40, 1], values: (0..<1600).map { Float($0 % 2) })
    let history = try model.fit(x: x, y: y, epochs: 1, verbose: 0)
    XCTAssertTrue(history.history["loss"]?.first?.isFinite ?? false)
  }

  func testRegularizersAndConstraintsReachTheCell() throws {
    let layer = ConvLSTM1D(
      2, kernelSize: 2, kernelRegularizer: L2(0.5), recurrentRegularizer: L1(0.25),
      kernelConstraint: NonNeg())
    _ = try layer(Tensor.ones([1, 2, 4, 1]))
    let kernel = try XCTUnwrap(layer.cell.kernel?.untrackedValue)
    let recurrent = try XCTUnwrap(layer.cell.recurrentKernel?.untrackedValue)
    let squares: Float = kernel.scalars.map { $0 * $0 }.reduce(0, +)
    let magnitudes: Float = recurrent.scalars.map { Swift.abs($0) }.reduce(0, +)
    let total: Float = layer.losses.map { $0.scalar }.reduce(0, +)
    XCTAssertEqual(total, 0.5 * squares + 0.25 * magnitudes, accuracy: 1e-4)
    layer.applyConstraints()
    XCTAssertTrue(layer.cell.kernel?.untrackedValue.scalars.allSatisfy { $0 >= 0 } ?? false)
  }

  func testBadArgumentsAndInputsThrow() throws {
    func message(_ body: () throws -> Void) -> String {
      do {
        try body()
        return "no error"
      } catch { return "\(error)" }
    }
    let rank = message { _ = try ConvLSTM2D(2, kernelSize: 3)(Tensor.zeros([2, 3, 5, 1])) }
    XCTAssertTrue(rank.contains("ConvLSTM2D") && rank.contains("3, 5, 1)"), rank)
    let combined = message {
      _ = try ConvLSTM2D(2, kernelSize: 3, strides: 2, dilationRate: 2)(
        Tensor.zeros([1, 2, 9, 9, 1]))
    }
    XCTAssertTrue(combined.contains("strides") && combined.contains("dilationRate"), combined)
    let format = message {
      _ = try ConvLSTM1D(2, kernelSize: 3, dataFormat: "channels_first")(
        Tensor.zeros([1, 2, 5, 1]))
    }
    XCTAssertTrue(format.contains("channels_first"), format)
    let filters = message { _ = try ConvLSTM1D(0, kernelSize: 3)(Tensor.zeros([1, 2, 5, 1])) }
    XCTAssertTrue(filters.contains("filters must be positive, got 0"), filters)
    let fit = message { _ = try ConvLSTM1D(2, kernelSize: 7)(Tensor.zeros([1, 2, 5, 1])) }
    XCTAssertTrue(fit.contains("does not fit"), fit)
    let unknown = message {
      _ = try Sequential([Input(shape: [3, nil, 4, 1]), ConvLSTM2D(2, kernelSize: 2)])
    }
    XCTAssertTrue(unknown.contains("known spatial"), unknown)
    let layer = ConvLSTM1D(2, kernelSize: 2)
    _ = try layer(Tensor.zeros([1, 2, 5, 1]))
    let other = message { _ = try layer(Tensor.zeros([1, 2, 6, 1])) }
    XCTAssertTrue(other.contains("expects input shape"), other)
    let huge = message {
      _ = try ConvLSTM1D(Int.max / 2, kernelSize: 2)(Tensor.zeros([1, 2, 5, 1]))
    }
    XCTAssertTrue(huge.contains("too large"), huge)
  }
}
