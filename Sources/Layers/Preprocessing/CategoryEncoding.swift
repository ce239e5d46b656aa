import SwiftKerasCore

/// Encodes integer indices in `0..<numTokens` as `one_hot`, `multi_hot` or `count` rows
/// of `numTokens`, as `keras.layers.CategoryEncoding`.
///
/// `multi_hot` and `count` reduce the last axis (`[batch, n]` → `[batch, numTokens]`; a
/// rank-1 input is one sample; rank 3 and up reduce axis 1, as Keras); `one_hot` appends an axis, replacing a last axis of 1.
/// An index outside `0..<numTokens`, or not an integer, throws.
///
/// ```swift
/// let encode = CategoryEncoding(numTokens: 4, outputMode: "multi_hot")
/// try encode(Tensor(shape: [2, 2], scalars: [0, 1, 3, 3]))   // [[1,1,0,0], [0,0,0,1]]
/// ```
public final class CategoryEncoding: Layer, ConfigInitializable {
  /// The number of categories: indices run over `0..<numTokens`.
  @Config(required: true) public var numTokens = 0
  /// `one_hot`, `multi_hot` (Keras's default) or `count`.
  @Config public var outputMode = "multi_hot"

  /// Creates the layer.
  public convenience init(numTokens: Int, outputMode: String = "multi_hot", name: String? = nil) {
    self.init(name: name)
    self.numTokens = numTokens
    self.outputMode = outputMode
  }

  public override func build(inputShape: Shape) throws {
    guard numTokens >= 1 else {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(name)' (CategoryEncoding): num_tokens must be at least 1, got \(numTokens)")
    }
    // Keras's old name for multi_hot.
    if outputMode == "binary" { outputMode = "multi_hot" }
    guard ["one_hot", "multi_hot", "count"].contains(outputMode) else {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(name)' (CategoryEncoding): output_mode must be one_hot, multi_hot or count, got '\(outputMode)'"
      )
    }
  }

  public override func checkInputs(_ shapes: [[Int]]) throws {
    guard shapes.count == 1 else {
      throw SwiftKerasError(
        .shapeMismatch, "layer '\(name)' (CategoryEncoding) takes one input, got \(shapes.count)")
    }
  }

  public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
    try CategoricalOutput.encode(
      input, mode: outputMode, depth: numTokens, layer: name, kind: "CategoryEncoding")
  }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    if inputShapes[0].isEmpty { return [numTokens] }
    return CategoricalOutput.outputShape(inputShapes[0], mode: outputMode, depth: numTokens)
  }
}
