import SwiftKerasCore

/// The common machinery of ``GlobalMaxPooling1D``, ``GlobalMaxPooling2D`` and
/// ``GlobalAveragePooling2D``: a maximum or mean over every spatial axis.
public class BaseGlobalPooling: Layer {
  /// The number of spatial axes (1 or 2).
  public let rank: Int
  /// `"channels_last"` (the default) or `"channels_first"`.
  public let dataFormat: String
  /// Whether the pooled axes are kept with extent 1.
  public let keepdims: Bool
  private let takesMaximum: Bool

  init(rank: Int, dataFormat: String, keepdims: Bool, takesMaximum: Bool, name: String?) {
    self.rank = rank
    self.dataFormat = dataFormat
    self.keepdims = keepdims
    self.takesMaximum = takesMaximum
    super.init(name: name)
  }

  private var spatialAxes: [Int] {
    dataFormat == "channels_first" ? Array(2..<(rank + 2)) : Array(1..<(rank + 1))
  }

  public override func build(inputShape: Shape) throws {
    guard dataFormat == "channels_last" || dataFormat == "channels_first" else {
      throw SwiftKerasError.unknownIdentifier(
        dataFormat, kind: "data format", valid: ["channels_first", "channels_last"])
    }
    guard inputShape.count == rank + 2 else {
      throw SwiftKerasError(
        .shapeMismatch,
        "layer '\(name)' (\(className)) needs inputs of rank \(rank + 2), got \(formatShape(inputShape))"
      )
    }
  }

  public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
    takesMaximum
      ? input.max(alongAxes: spatialAxes, keepDims: keepdims)
      : input.mean(alongAxes: spatialAxes, keepDims: keepdims)
  }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    var shape = inputShapes[0]
    for axis in spatialAxes.reversed() {
      if keepdims { shape[axis] = 1 } else { shape.remove(at: axis) }
    }
    return shape
  }

  public override func getConfig() -> [String: ConfigValue] {
    var config = super.getConfig()
    config["data_format"] = .string(dataFormat)
    config["keepdims"] = .bool(keepdims)
    return config
  }
}
