import SwiftKerasCore

/// The window arguments and the depthwise convolution shared by ``DepthwiseConv2D`` and
/// ``SeparableConv2D``.
struct DepthwiseWindow {
  let kernelSize: [Int]
  let strides: [Int]
  let padding: String
  let dilationRate: [Int]
  private let raw: (IntOrTuple, IntOrTuple, IntOrTuple)

  init(kernelSize: IntOrTuple, strides: IntOrTuple, padding: String, dilationRate: IntOrTuple) {
    self.kernelSize = kernelSize.expanded(rank: 2)
    self.strides = strides.expanded(rank: 2)
    self.padding = padding.lowercased()
    self.dilationRate = dilationRate.expanded(rank: 2)
    raw = (kernelSize, strides, dilationRate)
  }

  private var convolutionPadding: ConvolutionPadding { padding == "same" ? .same : .valid }

  /// Checks the arguments and the input shape; returns the input channels.
  func validate(inputShape: Shape, depthMultiplier: Int, layer: String) throws -> Int {
    _ = try raw.0.resolved(rank: 2, argument: "kernelSize", layer: layer)
    _ = try raw.1.resolved(rank: 2, argument: "strides", layer: layer)
    _ = try raw.2.resolved(rank: 2, argument: "dilationRate", layer: layer)
    _ = try ConvolutionPadding(keras: padding)
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

  /// The batch and spatial extents of the output.
  func outputShape(_ shape: Shape, layer: String) throws -> Shape {
    var result: Shape = [shape[0]]
    for axis in 0..<2 {
      guard let extent = shape[axis + 1] else {
        result.append(nil)
        continue
      }
      guard
        let length = convolutionOutputLength(
          input: extent, kernel: kernelSize[axis], stride: strides[axis],
          dilation: dilationRate[axis], padding: convolutionPadding), length > 0
      else {
        throw SwiftKerasError(
          .shapeMismatch,
          "layer '\(layer)): a kernel of size \(kernelSize) with dilation \(dilationRate) does not fit input shape \(formatShape(shape))"
        )
      }
      result.append(length)
    }
    return result
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

  func addConfig(to config: inout [String: ConfigValue]) {
    config["kernel_size"] = configArray(kernelSize)
    config["strides"] = configArray(strides)
    config["padding"] = .string(padding)
    config["data_format"] = "channels_last"
    config["dilation_rate"] = configArray(dilationRate)
  }
}
