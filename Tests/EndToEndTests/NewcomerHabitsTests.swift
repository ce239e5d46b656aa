import SwiftKeras
import TestSupport
import XCTest

/// What a user coming from Keras or PyTorch writes first, and used to stumble on.
final class NewcomerHabitsTests: XCTestCase {
  /// A PyTorch-style module: layers in stored properties, no `track(_:)`.
  final class TwoLayerNet: Model {
    let hidden = Dense(8, activation: "relu")
    let output = Dense(2)
    var extras: [Layer] = [Dropout(0.1)]

    override func call(_ input: Tensor, training: Bool) throws -> Tensor {
      try output(extras[0](hidden(input, training: training), training: training))
    }
  }

  /// A model whose layers live where Mirror cannot look (a closure).
  final class HiddenLayersNet: Model {
    let forward: (Tensor) throws -> Tensor
    init() {
      let dense = Dense(2)
      forward = { try dense($0) }
      super.init(name: nil)
    }
    override func call(_ input: Tensor, training: Bool) throws -> Tensor { try forward(input) }
  }

  private let x = Tensor(shape: [8, 3], scalars: (0..<24).map { Float($0 % 5) / 5 })
  private let y = Tensor([0, 1, 0, 1, 1, 0, 1, 0])

  func testSubclassedModelFindsLayersInStoredPropertiesAndTrains() throws {
    let model = TwoLayerNet()
    _ = try model(x)
    XCTAssertEqual(model.layers.count, 3)
    XCTAssertEqual(model.trainableWeights.count, 4)
    XCTAssertEqual(model.countParams(), 3 * 8 + 8 + 8 * 2 + 2)
    try model.compile(optimizer: "adam", loss: SparseCategoricalCrossentropy(fromLogits: true))
    let before = model.getWeights()
    _ = try model.fit(x: x, y: y, epochs: 2, verbose: 0)
    XCTAssertNotEqual(model.getWeights()[0].scalars, before[0].scalars)
  }

  func testFittingAModelWithNoTrainableWeightsThrows() throws {
    let model = HiddenLayersNet()
    try model.compile(optimizer: "sgd", loss: "mse")
    XCTAssertThrowsError(try model.fit(x: x, y: Tensor.zeros(shape: [8, 2]), verbose: 0)) {
      error in
      XCTAssertTrue("\(error)".contains("no trainable weights"), "\(error)")
    }
  }

  func testTuplesAndLabelsForWindowSizes() throws {
    let images = Tensor.zeros(shape: [2, 12, 12, 1])
    let conv = Conv2D(4, kernelSize: (3, 3), strides: (1, 1), activation: "relu")
    XCTAssertEqual(try conv(images).shape, [2, 10, 10, 4])
    XCTAssertEqual(conv.kernelSize, [3, 3])
    XCTAssertEqual(try MaxPooling2D((2, 2))(images).shape, [2, 6, 6, 1])
    XCTAssertEqual(try MaxPooling2D(poolSize: 3)(images).shape, [2, 4, 4, 1])
    XCTAssertEqual(try MaxPooling2D(2, strides: (1, 1))(images).shape, [2, 11, 11, 1])
    XCTAssertThrowsError(try Conv2D(4, kernelSize: (3, "3"))(images)) { error in
      XCTAssertTrue("\(error)".contains("kernelSize"), "\(error)")
    }
  }

  func testStringActivationsAndTheirError() throws {
    let layer = Dense(4, activation: "relu")
    XCTAssertEqual(layer.activation, .relu)
    XCTAssertThrowsError(try Dense(4, activation: "rleu")(x)) { error in
      XCTAssertEqual((error as? SwiftKerasError)?.kind, .unknownIdentifier)
      let text = "\(error)"
      XCTAssertTrue(text.contains("rleu") && text.contains("relu") && text.contains("dense"), text)
    }
  }

  func testInputShapeOnTheFirstLayerBuildsTheModel() throws {
    let model = try Sequential([Dense(4, activation: "relu", inputShape: [3]), Dense(2)])
    XCTAssertTrue(model.built || model.countParams() > 0)
    XCTAssertEqual(model.countParams(), 3 * 4 + 4 + 4 * 2 + 2)
    XCTAssertEqual(model.inputShape, [nil, 3])
  }

  func testZerosTakeTheShapeLabelLikeRandomNormal() {
    XCTAssertEqual(Tensor.zeros(shape: [2, 3]).shape, Tensor.randomNormal(shape: [2, 3]).shape)
    XCTAssertEqual(Tensor.zeros(shape: [2, 3]).scalars, Tensor.zeros([2, 3]).scalars)
  }

  func testCompileRejectsAMisspelledOptimizerImmediately() throws {
    let model = try Sequential([Input(shape: [3]), Dense(2)])
    XCTAssertThrowsError(try model.compile(optimizer: "adma", loss: "mse")) { error in
      XCTAssertTrue("\(error)".contains("adam"), "\(error)")
    }
  }

  func testLogsKeepKerasOrderOnEveryRun() throws {
    for _ in 0..<3 {
      let model = try Sequential([Input(shape: [3]), Dense(2, activation: "softmax")])
      try model.compile(
        optimizer: "sgd", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"])
      let history = try model.fit(x: x, y: y, epochs: 1, verbose: 0, validationSplit: 0.25)
      XCTAssertEqual(history.keys, ["accuracy", "loss", "val_accuracy", "val_loss"])
      let results = try model.evaluate(x: x, y: y, verbose: 0)
      XCTAssertEqual(Array(results.keys), ["accuracy", "loss"])
    }
  }

  func testEarlyStoppingBestIsAFloatLikeTheLogs() throws {
    let model = try Sequential([Input(shape: [3]), Dense(2)])
    try model.compile(optimizer: "sgd", loss: "mse")
    let stop = EarlyStopping(monitor: "loss", patience: 5)
    let history = try model.fit(
      x: x, y: Tensor.zeros(shape: [8, 2]), epochs: 2, verbose: 0, callbacks: [stop])
    let best: Float? = stop.best
    XCTAssertEqual(best, history["loss"].min())
  }

  func testHistoryPlotChoosesMetrics() throws {
    let model = try Sequential([Input(shape: [3]), Dense(2, activation: "softmax")])
    try model.compile(
      optimizer: "sgd", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"])
    let history = try model.fit(x: x, y: y, epochs: 2, verbose: 0, validationSplit: 0.25)
    let lossOnly = try history.svg(metrics: ["loss"])
    XCTAssertTrue(lossOnly.contains("val_loss"))
    XCTAssertFalse(lossOnly.contains("accuracy"))
    XCTAssertThrowsError(try history.svg(metrics: ["auc"]))
  }
}
