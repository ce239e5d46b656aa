import Foundation

extension Tensor: CustomStringConvertible, CustomDebugStringConvertible {
  /// The elements laid out like numpy's `str`, e.g. `[[1. 2.]\n [3. 4.]]`, with decimal
  /// points aligned (`[  1.5  -20.     0.25]`); tensors of more than 1000 elements show
  /// their first and last three entries per axis with `...` between.
  public var description: String {
    if rank == 0 { return Tensor.format(storage.base[0]) }
    // numpy prints every empty array as `[]`, whatever its shape.
    if count == 0 { return "[]" }
    let summarise = count > 1000
    var layout = Layout()
    forEachShown(summarise: summarise) { layout.include(Tensor.format($0)) }
    var text = ""
    render(axis: 0, offset: 0, indent: 1, layout: layout, summarise: summarise, into: &text)
    return text
  }

  /// Column widths that line up the decimal points of every shown element.
  struct Layout {
    /// The widest part before the decimal point (or of a non-finite value).
    var integerWidth = 0
    /// The widest part from the decimal point on.
    var fractionWidth = 0
    /// The widest non-finite or scientific element.
    var otherWidth = 0

    mutating func include(_ s: String) {
      if let (integer, fraction) = Layout.split(s) {
        integerWidth = Swift.max(integerWidth, integer.count)
        fractionWidth = Swift.max(fractionWidth, fraction.count)
      } else {
        otherWidth = Swift.max(otherWidth, s.count)
      }
    }

    /// A fixed-point string split at its decimal point; nil for nan, inf and exponents.
    static func split(_ s: String) -> (Substring, Substring)? {
      guard !s.contains("e"), !s.contains("n"), let dot = s.firstIndex(of: ".") else { return nil }
      return (s[..<dot], s[dot...])
    }

    /// `s` padded to the common width.
    func pad(_ s: String) -> String {
      let total = Swift.max(integerWidth + fractionWidth, otherWidth)
      if let (integer, fraction) = Layout.split(s) {
        let aligned =
          String(repeating: " ", count: integerWidth - integer.count) + s
          + String(repeating: " ", count: fractionWidth - fraction.count)
        return String(repeating: " ", count: total - aligned.count) + aligned
      }
      return String(repeating: " ", count: total - s.count) + s
    }
  }

  /// The description with the shape, e.g. `Tensor(shape: [2], [1. 2.])`.
  public var debugDescription: String { "Tensor(shape: \(shape), \(description))" }

  static func format(_ x: Float) -> String {
    if x.isNaN { return "nan" }
    if x.isInfinite { return x > 0 ? "inf" : "-inf" }
    if x == x.rounded() && Swift.abs(x) < 1e8 { return String(format: "%.0f.", x) }
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
        if axis == rank - 1 {
          body(storage.base[offset + i])
        } else {
          visit(axis + 1, offset + i * stride)
        }
      }
    }
    visit(0, 0)
  }

  private func render(
    axis: Int, offset: Int, indent: Int, layout: Layout, summarise: Bool, into text: inout String
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
        text += layout.pad(Tensor.format(storage.base[offset + i]))
      } else {
        render(
          axis: axis + 1, offset: offset + i * stride, indent: indent + 1, layout: layout,
          summarise: summarise, into: &text)
      }
    }
    text += "]"
  }
}
