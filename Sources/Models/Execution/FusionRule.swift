import SwiftKerasCore
import SwiftKerasLayers

/// A rule of the execution plan: a layer and the one layer reading its output, computed
/// as one op. Layers know nothing of fusion; the plan asks the rules.
package protocol FusionRule: Sendable {
  /// Whether `first` followed by `second` is computed as one op by this rule.
  func fuses(_ first: Layer, _ second: Layer) -> Bool
  /// `second(first(input))` as one op, with both layers built, checked and regularized as
  /// separate calls would be.
  func run(_ first: Layer, _ second: Layer, _ input: Tensor, training: Bool) throws -> Tensor
}

/// The rules every execution plan applies, in order.
package let fusionRules: [any FusionRule] = [ConvReLUMaxPoolFusion()]

/// `Conv2D(f, k, activation: .relu)` then `MaxPooling2D(p)` with non-overlapping windows,
/// both "valid", unit strides and dilation, one group and no activity penalty on the
/// convolution: ``Tensor/conv2dReLUMaxPool2d(_:_:bias:poolSize:)``.
package struct ConvReLUMaxPoolFusion: FusionRule {
  package init() {}

  package func fuses(_ first: Layer, _ second: Layer) -> Bool {
    guard let conv = first as? Conv2D, let pool = second as? MaxPooling2D else { return false }
    return conv.activation == .relu && conv.activityRegularizer == nil && conv.padding == "valid"
      && conv.strides.allSatisfy { $0 == 1 } && conv.dilationRate.allSatisfy { $0 == 1 }
      && conv.groups == 1 && pool.padding == "valid" && pool.strides == pool.poolSize
  }

  package func run(_ first: Layer, _ second: Layer, _ input: Tensor, training: Bool) throws
    -> Tensor
  {
    guard let conv = first as? Conv2D, let pool = second as? MaxPooling2D else {
      return try second(try first(input, training: training), training: training)
    }
    try conv.prepareCall([input.shape])
    let middle = try conv.computeOutputShape(inputShapes: [input.shape.map { Optional($0) }])
    let concrete = middle.compactMap { $0 }
    guard concrete.count == middle.count, let kernel = conv.kernel, pool.poolSize.count == 2 else {
      return try pool(try conv(input, training: training), training: training)
    }
    try pool.prepareCall([concrete])
    let output = Tensor.conv2dReLUMaxPool2d(
      input, kernel.value, bias: conv.bias?.value, poolSize: (pool.poolSize[0], pool.poolSize[1]))
    return pool.finishCall(output)
  }
}
