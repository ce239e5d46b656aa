import SwiftKerasCore

/// Flattens each sample to one axis, as `keras.layers.Flatten`: `[batch, d1, d2, …]`
/// becomes `[batch, d1 * d2 * …]` (and `[batch]` becomes `[batch, 1]`).
///
/// With `dataFormat: "channels_first"` the channel axis is moved last before flattening,
/// so the order matches a channels-last model's.
///
/// ```swift
/// let y = try Flatten()(Tensor.zeros([32, 28, 28]))   // shape [32, 784]
/// ```
public final class Flatten: Layer, ConfigInitializable {
  /// `"channels_last"` (default) or `"channels_first"`.
  @Config public var dataFormat: String = "channels_last"

  /// Creates the layer.
  public convenience init(
    dataFormat: String = "channels_last", inputShape: [Int?]? = nil, name: String? = nil
  ) {
    self.init(name: name)
    requestedInputShape = inputShape
    self.dataFormat = dataFormat
  }

  public override func build(inputShape: Shape) throws {
    guard dataFormat == "channels_last" || dataFormat == "channels_first" else {
      throw SwiftKerasError.unknownIdentifier(
        dataFormat, kind: "data format", valid: ["channels_first", "channels_last"])
    }
  }

  public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
    var x = input
    if dataFormat == "channels_first" && x.rank > 2 {
      x = x.transposed(permutation: [0] + Array(2..<x.rank) + [1])
    }
    let batch = x.shape.first ?? 1
    return x.reshaped(to: [batch, Tensor.elementCount(Array(x.shape.dropFirst()))])
  }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    let shape = inputShapes[0]
    let rest = shape.dropFirst()
    let known = rest.compactMap { $0 }
    guard known.count == rest.count else { return [shape.first ?? nil, nil] }
    guard let flat = Tensor.checkedElementCount(known) else {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(name)' (Flatten): samples of shape \(formatShape(Array(rest))) have more elements than an Int holds"
      )
    }
    return [shape.first ?? nil, flat]
  }
}
