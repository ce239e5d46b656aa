import SwiftKerasCore

/// The window of a convolution as Keras configures it: `kernel_size`, `strides`,
/// `padding`, `data_format` and `dilation_rate`, shared by every convolution layer. Written
/// as a user writes it (`3`, `(3, 3)`, `[3, 3]`), spread over the spatial axes, and checked
/// when the layer is built.
public struct ConvolutionWindow: ConfigCodable, Sendable {
  /// The window extent per spatial axis.
  public private(set) var kernelSize: [Int]
  /// The step between windows per spatial axis.
  public private(set) var strides: [Int]
  /// `"valid"`, `"same"` (or `"causal"` for ``Conv1D``).
  public private(set) var padding: String
  /// The spacing between kernel taps per spatial axis.
  public private(set) var dilationRate: [Int]
  /// Keras's `data_format`; only channels-last inputs are supported.
  public private(set) var dataFormat = "channels_last"
  private var unreadable: [String: String] = [:]

  /// A window over `rank` spatial axes; each size is an integer, a tuple or an array. Only
  /// `"channels_last"` is supported; another `dataFormat` is reported when the layer is
  /// built.
  public init(
    rank: Int = 1, kernelSize: Any = [Int](), strides: Any = 1, padding: String = "valid",
    dilationRate: Any = 1, dataFormat: String = "channels_last"
  ) {
    self.dataFormat = dataFormat.lowercased()
    self.kernelSize = IntOrTuple(argument: kernelSize).spread(rank: rank)
    self.strides = IntOrTuple(argument: strides).spread(rank: rank)
    self.padding = padding.lowercased()
    self.dilationRate = IntOrTuple(argument: dilationRate).spread(rank: rank)
    for (name, argument) in [
      ("kernelSize", kernelSize), ("strides", strides), ("dilationRate", dilationRate),
    ] {
      if let description = IntOrTuple(argument: argument).unreadable {
        unreadable[name] = description
      }
    }
  }

  /// Checks the sizes (one positive integer per axis) and the padding, spreading single
  /// values read from a config over the axes.
  ///
  /// - Throws: ``SwiftKerasError`` naming `layer` and the argument.
  mutating func resolve(rank: Int, layer: String, paddings: [String] = ["valid", "same"]) throws {
    for (name, description) in unreadable {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(layer)': \(name) must be one positive integer or \(rank) of them, got \(description)"
      )
    }
    kernelSize = try IntOrTuple(kernelSize).resolved(
      rank: rank, argument: "kernelSize", layer: layer)
    strides = try IntOrTuple(strides).resolved(rank: rank, argument: "strides", layer: layer)
    dilationRate = try IntOrTuple(dilationRate).resolved(
      rank: rank, argument: "dilationRate", layer: layer)
    guard paddings.contains(padding) else {
      throw SwiftKerasError.unknownIdentifier(padding, kind: "padding", valid: paddings)
    }
    guard dataFormat == "channels_last" else {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(layer)': data_format '\(dataFormat)' is not supported; use channels_last")
    }
  }

  public func encode(into config: inout [String: ConfigValue], key: String) {
    config["kernel_size"] = kernelSize.configValue
    config["strides"] = strides.configValue
    config["padding"] = .string(padding)
    config["data_format"] = .string(dataFormat)
    config["dilation_rate"] = dilationRate.configValue
  }

  public mutating func decode(from config: LayerConfig, key: String) throws {
    try kernelSize.decode(from: config, key: "kernel_size")
    try strides.decode(from: config, key: "strides")
    try padding.decode(from: config, key: "padding")
    padding = padding.lowercased()
    try dataFormat.decode(from: config, key: "data_format")
    try dilationRate.decode(from: config, key: "dilation_rate")
  }

  public static func isPresent(in config: LayerConfig, key: String) -> Bool { true }

  private var convolutionPadding: ConvolutionPadding { padding == "same" ? .same : .valid }

  /// Checks the arguments and the input shape; returns the input channels.
  /// Resolves the window for a depthwise convolution of `inputShape` and returns the
  /// number of input channels.
  mutating func validate(inputShape: Shape, depthMultiplier: Int, layer: String) throws -> Int {
    try resolve(rank: 2, layer: layer)
    guard depthMultiplier > 0 else {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(layer)): depthMultiplier must be positive, got \(depthMultiplier)")
    }
    guard strides.allSatisfy({ $0 == 1 }) || dilationRate.allSatisfy({ $0 == 1 }) else {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(layer)): strides > 1 and dilationRate > 1 cannot be combined, got strides \(strides), dilationRate \(dilationRate)"
      )
    }
    guard inputShape.count == 4, let channels = inputShape.last ?? nil else {
      throw SwiftKerasError(
        .shapeMismatch,
        "layer '\(layer)) needs inputs of rank 4 with a known channel axis, got \(formatShape(inputShape))"
      )
    }
    _ = try outputShape(inputShape, layer: layer)
    return channels
  }

  /// The batch and spatial extents of the output of a 2-D depthwise window.
  func outputShape(_ shape: Shape, layer: String) throws -> Shape {
    [shape[0]] + (try spatialOutput(Array(shape[1...2]), layer: layer))
  }

  /// The output extents of the spatial axes `extents` (nil stays nil), for every padding
  /// including Conv1D's "causal" (the dilated kernel's span less one, before the data).
  ///
  /// - Throws: ``SwiftKerasError`` naming `layer` when the window does not fit or a length
  ///   overflows.
  func spatialOutput(_ extents: [Int?], layer: String) throws -> [Int?] {
    try extents.enumerated().map { axis, extent in
      guard let extent else { return nil }
      let axisPadding: ConvolutionPadding? =
        padding == "causal"
        ? checkedMultiply(kernelSize[axis] - 1, dilationRate[axis]).map {
          .explicit(top: $0, bottom: 0, left: 0, right: 0)
        }
        : convolutionPadding
      guard let axisPadding,
        let length = convolutionOutputLength(
          input: extent, kernel: kernelSize[axis], stride: strides[axis],
          dilation: dilationRate[axis], padding: axisPadding), length > 0
      else {
        throw SwiftKerasError(
          .shapeMismatch,
          "layer '\(layer)): a kernel of size \(kernelSize) with dilation \(dilationRate) does not fit spatial extents \(extents.map { $0.map(String.init) ?? "None" })"
        )
      }
      return length
    }
  }

  /// Throws when concrete inputs do not fit.
  func check(_ shapes: [[Int]], expected: Shape, layer: String) throws {
    guard shapes.count == 1, shapes[0].count == 4, shapes[0].last == expected.last ?? nil else {
      throw SwiftKerasError(
        .shapeMismatch,
        "layer '\(layer)) expects input shape \(formatShape(expected)), got \(shapes.map { formatShape($0.map { Optional($0) }) }.joined(separator: ", "))"
      )
    }
    _ = try outputShape(shapes[0].map { Optional($0) }, layer: layer)
  }

  /// The depthwise convolution with a `[kh, kw, channels, multiplier]` kernel: a grouped
  /// convolution with one group per channel.
  func apply(_ input: Tensor, _ kernel: Tensor) -> Tensor {
    let channels = kernel.shape[2]
    return conv2d(
      input,
      kernel.reshaped(to: [kernel.shape[0], kernel.shape[1], 1, channels * kernel.shape[3]]),
      strides: (strides[0], strides[1]), padding: convolutionPadding,
      dilation: (dilationRate[0], dilationRate[1]), groups: channels)
  }
}
