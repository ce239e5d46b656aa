import SwiftKerasCore

/// The common machinery of the windowed pooling layers (``MaxPooling1D``,
/// ``MaxPooling2D``, ``AveragePooling1D``, ``AveragePooling2D``), as Keras's
/// `BasePooling`. Inputs are channels-last.
public class BasePooling: Layer {
  /// The number of spatial axes (1 or 2).
  public class var rank: Int { 2 }
  /// Whether the window's maximum is taken (else its mean).
  class var takesMaximum: Bool { true }

  /// The window extent per spatial axis.
  @Config public var poolSize = [2]
  /// The step between windows per spatial axis; nil means the pool size.
  @Config("strides") public var requestedStrides: [Int]? = nil
  /// `"valid"` or `"same"`.
  @Config public var padding = "valid"
  /// Keras's `data_format`; only channels-last inputs are supported.
  @Config public var dataFormat = "channels_last"

  /// The number of spatial axes (1 or 2).
  public var rank: Int { Self.rank }
  /// The step between windows per spatial axis.
  public var strides: [Int] { requestedStrides ?? poolSize }

  /// Creates the layer.
  ///
  /// - Parameters:
  ///   - poolSize: the window extent: one integer, a tuple such as `(2, 2)` or an array.
  ///   - strides: the step between windows, written the same ways; nil means the pool size.
  ///   - padding: `"valid"` or `"same"`.
  public convenience init(
    _ poolSize: any Sendable = 2, strides: (any Sendable)? = nil, padding: String = "valid",
    name: String? = nil
  ) {
    self.init(name: name)
    self.poolSize = IntOrTuple(argument: poolSize).spread(rank: Self.rank)
    requestedStrides = strides.map { IntOrTuple(argument: $0).spread(rank: Self.rank) }
    self.padding = padding.lowercased()
  }

  /// Creates the layer, with the pool size labelled as in Keras's keyword form.
  public convenience init(
    poolSize: any Sendable, strides: (any Sendable)? = nil, padding: String = "valid",
    name: String? = nil
  ) {
    self.init(poolSize, strides: strides, padding: padding, name: name)
  }

  public override func build(inputShape: Shape) throws {
    let label = "\(name)' (\(className)"
    poolSize = try IntOrTuple(poolSize).resolved(rank: rank, argument: "poolSize", layer: label)
    requestedStrides = try requestedStrides.map {
      try IntOrTuple($0).resolved(rank: rank, argument: "strides", layer: label)
    }
    _ = try ConvolutionPadding(keras: padding)
    guard inputShape.count == rank + 2 else {
      throw SwiftKerasError(
        .shapeMismatch,
        "layer '\(label)) needs inputs of rank \(rank + 2), got \(formatShape(inputShape))")
    }
    _ = try spatialOutput(Array(inputShape.dropFirst().dropLast()))
  }

  private func spatialOutput(_ extents: [Int?]) throws -> [Int?] {
    let pad: ConvolutionPadding = padding == "same" ? .same : .valid
    return try extents.enumerated().map { axis, extent in
      guard let extent else { return nil }
      guard
        let length = convolutionOutputLength(
          input: extent, kernel: poolSize[axis], stride: strides[axis], padding: pad),
        length > 0
      else {
        throw SwiftKerasError(
          .shapeMismatch,
          "layer '\(name)' (\(className)): a pool of size \(poolSize) does not fit spatial extents \(extents.map { $0.map(String.init) ?? "None" })"
        )
      }
      return length
    }
  }

  public override func checkInputs(_ shapes: [[Int]]) throws {
    try checkSingleInput(shapes) { $0 == rank + 2 }
    _ = try spatialOutput(shapes[0].dropFirst().dropLast().map { Optional($0) })
  }

  public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
    let pad: ConvolutionPadding = padding == "same" ? .same : .valid
    let x =
      rank == 1 ? input.reshaped(to: [input.shape[0], 1, input.shape[1], input.shape[2]]) : input
    let window = rank == 1 ? (1, poolSize[0]) : (poolSize[0], poolSize[1])
    let step = rank == 1 ? (1, strides[0]) : (strides[0], strides[1])
    let y =
      Self.takesMaximum
      ? x.maxPool2d(poolSize: window, strides: step, padding: pad)
      : x.averagePool2d(poolSize: window, strides: step, padding: pad)
    return rank == 1 ? y.reshaped(to: [y.shape[0], y.shape[2], y.shape[3]]) : y
  }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    let shape = inputShapes[0]
    return [shape[0]] + (try spatialOutput(Array(shape.dropFirst().dropLast()))) + [
      shape.last ?? nil
    ]
  }

  public override func getConfig() -> [String: ConfigValue] {
    var config = super.getConfig()
    // Keras writes the strides it uses, the pool size when none were given.
    config["strides"] = strides.configValue
    return config
  }
}
