import SwiftKeras
import TestSupport
import XCTest

/// A layer written the way a user writes one: hyperparameters declared once with
/// `@Config`, convenience initializers only, and nothing registered anywhere else.
final class ScaledShift: Layer, ConfigInitializable {
  /// The factor applied to every input.
  @Config(required: true) var factor: Float = 1
  /// The learned shift's initializer, regularizer and constraint.
  @Config("shift") var shiftOptions = WeightOptions(initializer: Ones())
  /// Which axis the shift runs along; written as `shift_axis`.
  @Config var shiftAxis = -1
  private var shift: Variable?

  convenience init(factor: Float, shiftInitializer: any Initializer = Ones(), name: String? = nil) {
    self.init(name: name)
    self.factor = factor
    shiftOptions.initializer = shiftInitializer
  }

  override func build(inputShape: Shape) throws {
    shift = addWeight(name: "shift", shape: [inputShape.last!!], options: shiftOptions)
  }

  override func call(_ input: Tensor, training: Bool) throws -> Tensor {
    input * factor + (shift?.value ?? Tensor(0))
  }
}

final class OneFileLayerTests: XCTestCase {
  func testConfigHoldsEveryDeclaredHyperparameterUnderKerasKeys() {
    let config = ScaledShift(factor: 3, shiftInitializer: Constant(value: 0.5)).getConfig()
    XCTAssertEqual(config["factor"]?.doubleValue, 3)
    XCTAssertEqual(config["shift_axis"]?.intValue, -1)
    XCTAssertEqual(config["shift_initializer"]?["class_name"]?.stringValue, "Constant")
    XCTAssertEqual(config["shift_regularizer"], ConfigValue.null)
    XCTAssertEqual(config["shift_constraint"], ConfigValue.null)
    XCTAssertEqual(config["trainable"]?.boolValue, true)
  }

  func testLayerRoundTripsThroughKerasFileWithoutRegistration() throws {
    let folder = try makeTemporaryDirectory("one-file-layer")
    defer { try? FileManager.default.removeItem(at: folder) }
    let model = try Sequential([
      Input(shape: [4]), ScaledShift(factor: 2, shiftInitializer: Constant(value: 0.25)), Dense(3),
    ])
    let x = Tensor(shape: [2, 4], scalars: (0..<8).map { Float($0) / 8 })
    let expected = try model.predict(x: x)
    let path = folder.appendingPathComponent("custom.keras").path
    try model.save(to: path)

    let restored = try loadModel(from: path)
    let layer = try XCTUnwrap(restored.layers.first as? ScaledShift)
    XCTAssertEqual(layer.factor, 2)
    XCTAssertEqual(layer.shiftOptions.initializer.name, "Constant")
    XCTAssertEqual(try restored.predict(x: x).scalars, expected.scalars)
  }

  func testMissingRequiredHyperparameterNamesClassAndKey() throws {
    let json = """
      {"class_name": "Sequential", "config": {"name": "s", "layers": [
        {"class_name": "InputLayer", "config": {"batch_shape": [null, 4], "name": "in"}},
        {"class_name": "ScaledShift", "registered_name": "SavingTests>ScaledShift",
         "config": {"name": "scaled"}}]}}
      """
    XCTAssertThrowsError(try modelFromJSON(json)) { error in
      let text = "\(error)"
      XCTAssertTrue(text.contains("ScaledShift") && text.contains("'factor'"), text)
    }
  }
}
