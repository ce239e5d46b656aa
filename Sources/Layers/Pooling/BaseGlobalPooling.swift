import SwiftKerasCore

/// The common machinery of ``GlobalMaxPooling1D``, ``GlobalMaxPooling2D`` and
/// ``GlobalAveragePooling2D``: a maximum or mean over every spatial axis.
public class BaseGlobalPooling: Layer {
  /// The number of spatial axes (1 or 2).
  public class var rank: Int { 2 }
  /// Whether the maximum is taken (else the mean).
  class var takesMaximum: Bool { true }

  /// `"channels_last"` (Keras's default) or `"channels_first"`.
  @Config public var dataFormat = "channels_last"
  /// Whether the pooled axes stay, with extent 1.
  @Config public var keepdims = false

  /// The number of spatial axes (1 or 2).
  public var rank: Int { Self.rank }

  /// Creates the layer.
  public convenience init(
    dataFormat: String = "channels_last", keepdims: Bool = false, name: String? = nil
  ) {
    self.init(name: name)
    self.dataFormat = dataFormat
    self.keepdims = keepdims
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
    Self.takesMaximum
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
}
