import SwiftKerasCore

/// Reshapes each sample to `targetShape`, as `keras.layers.Reshape`; one extent may be
/// -1 and is then inferred. The batch axis is kept.
///
/// ```swift
/// let y = try Reshape([-1, 2])(Tensor.zeros([3, 2, 4]))   // shape [3, 4, 2]
/// ```
public final class Reshape: Layer, ConfigInitializable {
  /// The shape of one output sample, without the batch axis.
  @Config(required: true) public var targetShape: [Int] = []

  /// Creates the layer.
  public convenience init(_ targetShape: [Int], inputShape: [Int?]? = nil, name: String? = nil) {
    self.init(name: name)
    requestedInputShape = inputShape
    self.targetShape = targetShape
  }

  public override func build(inputShape: Shape) throws {
    _ = try resolvedTarget(for: Array(inputShape.dropFirst()))
  }

  /// The target with -1 resolved when the sample size is known; throws when the
  /// target cannot hold the input's elements.
  private func resolvedTarget(for sample: Shape) throws -> Shape {
    let unknownCount = targetShape.filter { $0 == -1 }.count
    guard unknownCount <= 1, targetShape.allSatisfy({ $0 > 0 || $0 == -1 }) else {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(name)' (Reshape): targetShape \(targetShape) must hold positive extents and at most one -1"
      )
    }
    let known = sample.compactMap { $0 }
    guard known.count == sample.count else {
      return targetShape.map { $0 == -1 ? nil : $0 }
    }
    guard let total = Tensor.checkedElementCount(known),
      let fixed = Tensor.checkedElementCount(targetShape.filter { $0 != -1 })
    else {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(name)' (Reshape): the element count of \(formatShape(sample)) or of target shape \(targetShape) overflows"
      )
    }
    let fits = unknownCount == 1 ? total % fixed == 0 : total == fixed
    guard fits else {
      throw SwiftKerasError(
        .shapeMismatch,
        "layer '\(name)' (Reshape): cannot reshape samples of shape \(formatShape(sample)) (\(total) elements) to target shape \(targetShape)"
      )
    }
    return targetShape.map { $0 == -1 ? total / fixed : $0 }
  }

  public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
    let target = try resolvedTarget(for: input.shape.dropFirst().map { Optional($0) })
    return input.reshaped(to: [input.shape.first ?? 1] + target.map { $0 ?? -1 })
  }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    [inputShapes[0].first ?? nil] + (try resolvedTarget(for: Array(inputShapes[0].dropFirst())))
  }
}
