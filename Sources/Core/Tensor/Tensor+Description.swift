import Foundation

extension Tensor: CustomStringConvertible, CustomDebugStringConvertible {
  /// The elements laid out like numpy's repr, e.g. `[[1. 2.]\n [3. 4.]]`; large tensors
  /// show their first and last three entries per axis with `...` between.
  public var description: String {
    if rank == 0 { return Tensor.format(storage.base[0]) }
    let summarise = count > 1000
    var width = 0
    forEachShown(summarise: summarise) { width = Swift.max(width, Tensor.format($0).count) }
    var text = ""
    render(axis: 0, offset: 0, indent: 1, width: width, summarise: summarise, into: &text)
    return text
  }

  /// The description with the shape, e.g. `Tensor(shape: [2], [1. 2.])`.
  public var debugDescription: String { "Tensor(shape: \(shape), \(description))" }

  static func format(_ x: Float) -> String {
    if x.isNaN { return "nan" }
    if x.isInfinite { return x > 0 ? "inf" : "-inf" }
    if x == x.rounded() && Swift.abs(x) < 1e16 { return String(format: "%.0f.", x) }
    let magnitude = Swift.abs(x)
    if magnitude >= 1e-4 && magnitude < 1e8 {
      var s = String(format: "%.4f", x)
      while s.hasSuffix("0") { s.removeLast() }
      return s
    }
    return String(format: "%.4e", x)
  }

  private func shownIndices(_ extent: Int, summarise: Bool) -> [Int?] {
    if summarise && extent > 6 { return [0, 1, 2, nil, extent - 3, extent - 2, extent - 1] }
    return (0..<extent).map { $0 }
  }

  private func forEachShown(summarise: Bool, _ body: (Float) -> Void) {
    func visit(_ axis: Int, _ offset: Int) {
      let stride = Tensor.elementCount(Array(shape[(axis + 1)...]))
      for i in shownIndices(shape[axis], summarise: summarise) {
        guard let i else { continue }
        if axis == rank - 1 { body(storage.base[offset + i]) } else { visit(axis + 1, offset + i * stride) }
      }
    }
    visit(0, 0)
  }

  private func render(
    axis: Int, offset: Int, indent: Int, width: Int, summarise: Bool, into text: inout String
  ) {
    text += "["
    let stride = Tensor.elementCount(Array(shape[(axis + 1)...]))
    let shown = shownIndices(shape[axis], summarise: summarise)
    for (position, i) in shown.enumerated() {
      if position > 0 {
        if axis == rank - 1 {
          text += " "
        } else {
          text += String(repeating: "\n", count: rank - 1 - axis)
          text += String(repeating: " ", count: indent)
        }
      }
      guard let i else {
        text += "..."
        continue
      }
      if axis == rank - 1 {
        let s = Tensor.format(storage.base[offset + i])
        text += String(repeating: " ", count: width - s.count) + s
      } else {
        render(
          axis: axis + 1, offset: offset + i * stride, indent: indent + 1, width: width,
          summarise: summarise, into: &text)
      }
    }
    text += "]"
  }
}
