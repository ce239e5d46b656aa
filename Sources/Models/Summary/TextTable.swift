import SwiftKerasCore
import SwiftKerasLayers
import SwiftKerasTraining

/// A box-drawn text table laid out as the `rich` library draws Keras's summary: fixed
/// column widths shrunk evenly to the line length, cells word-wrapped, over-long words
/// cut with an ellipsis, a rule between rows.
struct TextTable {
  enum Alignment { case left, right, center }

  var header: [String]
  var alignment: [Alignment]
  var rows: [[String]] = []

  /// Column content widths for `lineLength` and relative `positions`, as Keras computes
  /// them and rich shrinks them.
  static func contentWidths(lineLength: Int, positions: [Double]) -> [Int] {
    var widths: [Int] = []
    var current = 0
    for position in positions {
      let width = Int(position * Double(lineLength)) - current
      widths.append(width)
      current += width
    }
    // Each cell carries one space of padding either side; the borders take n + 1.
    var cells = widths.map { $0 + 2 }
    let available = lineLength - (positions.count + 1)
    let excess = cells.reduce(0, +) - available
    if excess > 0 {
      // rich's ratio_reduce with equal ratios and Python's round-half-even.
      var remaining = Double(excess)
      var ratioLeft = Double(cells.count)
      for i in cells.indices {
        let share = min(Double(cells[i]), (remaining / ratioLeft).rounded(.toNearestOrEven))
        cells[i] -= Int(share)
        remaining -= share
        ratioLeft -= 1
      }
    }
    return cells.map { $0 - 2 }
  }

  /// Wraps `text` into lines of at most `width` characters as rich does.
  static func wrap(_ text: String, width: Int) -> [String] {
    // rich's words: optional leading spaces, a run of non-spaces, trailing spaces.
    var words: [String] = []
    var current = ""
    var seenNonSpace = false
    for character in text {
      if character == " " {
        current.append(character)
        if seenNonSpace {
          // Trailing spaces belong to the word until the next non-space.
        }
      } else {
        if seenNonSpace && current.last == " " {
          words.append(current)
          current = ""
        }
        current.append(character)
        seenNonSpace = true
      }
    }
    if !current.isEmpty { words.append(current) }

    var lines: [String] = []
    var line = ""
    var offset = 0
    for word in words {
      let trimmedLength = word.trimmingTrailingSpaces().count
      if width - offset >= trimmedLength {
        line += word
        offset += word.count
      } else {
        if !line.isEmpty || offset > 0 { lines.append(line) }
        line = word
        offset = word.count
      }
    }
    lines.append(line)
    return lines.map { line in
      let trimmed = line.trimmingTrailingSpaces()
      if trimmed.count > width { return String(trimmed.prefix(max(width - 1, 0))) + "…" }
      return trimmed
    }
  }

  static func aligned(_ text: String, width: Int, _ alignment: Alignment) -> String {
    let gap = max(width - text.count, 0)
    switch alignment {
    case .left: return text + String(repeating: " ", count: gap)
    case .right: return String(repeating: " ", count: gap) + text
    case .center:
      let left = gap / 2
      return String(repeating: " ", count: left) + text + String(repeating: " ", count: gap - left)
    }
  }

  func render(lineLength: Int, positions: [Double]) -> [String] {
    let widths = TextTable.contentWidths(lineLength: lineLength, positions: positions)
    func rule(_ left: String, _ fill: String, _ middle: String, _ right: String) -> String {
      left + widths.map { String(repeating: fill, count: $0 + 2) }.joined(separator: middle) + right
    }
    func lines(of cells: [String], border: String, alignments: [Alignment]) -> [String] {
      let wrapped = zip(cells, widths).map { TextTable.wrap($0, width: $1) }
      let height = wrapped.map { $0.count }.max() ?? 1
      return (0..<height).map { row in
        let parts = wrapped.indices.map { column -> String in
          let text = row < wrapped[column].count ? wrapped[column][row] : ""
          return " " + TextTable.aligned(text, width: widths[column], alignments[column]) + " "
        }
        return border + parts.joined(separator: border) + border
      }
    }
    var output = [rule("┏", "━", "┳", "┓")]
    // rich lays headers out with the column's justification.
    output += lines(of: header, border: "┃", alignments: alignment)
    output.append(rule("┡", "━", "╇", "┩"))
    for (i, row) in rows.enumerated() {
      if i > 0 { output.append(rule("├", "─", "┼", "┤")) }
      output += lines(of: row, border: "│", alignments: alignment)
    }
    output.append(rule("└", "─", "┴", "┘"))
    return output
  }
}

extension String {
  func trimmingTrailingSpaces() -> String {
    var result = self
    while result.last == " " { result.removeLast() }
    return result
  }
}
