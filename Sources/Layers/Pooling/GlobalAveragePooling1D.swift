import SwiftKerasCore

/// The mean over the steps of a sequence, as `keras.layers.GlobalAveragePooling1D`:
/// `[batch, steps, features]` becomes `[batch, features]` (or `[batch, 1, features]`
/// with `keepdims`).
///
/// ```swift
/// let y = try GlobalAveragePooling1D()(Tensor.zeros([2, 10, 8]))   // shape [2, 8]
/// ```
public final class GlobalAveragePooling1D: Layer {
  /// `"channels_last"` (steps on axis 1, the default) or `"channels_first"` (steps on
  /// axis 2).
  public let dataFormat: String
  /// Whether the pooled axis is kept with extent 1.
  public let keepdims: Bool

  /// Creates the layer.
  public init(dataFormat: String = "channels_last", keepdims: Bool = false, name: String? = nil) {
    self.dataFormat = dataFormat
    self.keepdims = keepdims
    super.init(name: name)
  }

  private var stepsAxis: Int { dataFormat == "channels_first" ? 2 : 1 }

  public override func build(inputShape: Shape) throws {
    guard dataFormat == "channels_last" || dataFormat == "channels_first" else {
      throw SwiftKerasError.unknownIdentifier(
        dataFormat, kind: "data format", valid: ["channels_first", "channels_last"])
    }
    guard inputShape.count == 3 else {
      throw SwiftKerasError(
        .shapeMismatch,
        "layer '\(name)' (GlobalAveragePooling1D) needs inputs of rank 3, got \(formatShape(inputShape))"
      )
    }
  }

  public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
    input.mean(alongAxes: [stepsAxis], keepDims: keepdims)
  }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    var shape = inputShapes[0]
    if keepdims { shape[stepsAxis] = 1 } else { shape.remove(at: stepsAxis) }
    return shape
  }

  public override func getConfig() -> [String: ConfigValue] {
    var config = super.getConfig()
    config["data_format"] = .string(dataFormat)
    config["keepdims"] = .bool(keepdims)
    return config
  }
}
