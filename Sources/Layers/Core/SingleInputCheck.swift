import SwiftKerasCore

extension Layer {
  /// Throws unless `shapes` is one input whose rank `rankFits` accepts and whose last
  /// (feature or channel) axis is the one the layer was built for, as the input specs of
  /// Keras's dense, convolution and pooling layers; other axes are the layer's to check.
  func checkSingleInput(_ shapes: [[Int]], rankFits: (Int) -> Bool) throws {
    let expected = builtInputShapes[0]
    guard shapes.count == 1, rankFits(shapes[0].count), shapes[0].last == expected.last ?? nil
    else {
      throw SwiftKerasError(
        .shapeMismatch,
        "layer '\(name)' (\(className)) expects input shape \(formatShape(expected)), got \(shapes.map { formatShape($0.map { Optional($0) }) }.joined(separator: ", "))"
      )
    }
  }
}
